"""The bootstrap stack: state backends and deploying identities, applied once by a person."""
