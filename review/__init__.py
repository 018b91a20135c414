"""Plan review for the platform team.

Turns a Terraform plan (`terraform show -json`) or a pair of synthesized cdktf outputs
into one reviewable page: counts by action, changed resources grouped by kind, loud
warnings for destroyed data, every access change as "who gains/loses what on which
object", and the policy scan's findings. `python -m review --help` for usage.
"""
