"""Deployment files rendered from the installed service declarations: `python -m crm_suite.deploy`.

Adding a service is re-rendering: its Dockerfile, its Compose services, its Kubernetes
manifests and its broker queues all follow from its `ServiceDeclaration` and the suite runner's
plan (`crm_suite.plan`), so every command line a deployment starts is one `make run` starts.
"""
