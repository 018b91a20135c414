"""The synthesized stacks (``cdktf.out/stacks/<env>/cdk.tf.json``) as data: the stack
model (``stack``: its environment, kind and resources) and the references between its
resources (``refs``). Policies, the review, the demo and the offline checks read stacks
through it; importing it imports neither checkov nor the provider bindings."""
