"""Health checks for load balancers and monitoring: /healthz and /readyz."""
