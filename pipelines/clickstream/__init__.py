"""Pure DataFrame functions of the pipeline; the @dp wrappers live in ../transformations/."""
