variable "kubeconfig_path" {
  description = "The kubeconfig of the cluster to deploy to."
  type        = string
  default     = "~/.kube/config"
}

variable "kube_context" {
  description = "The kubeconfig context to use; null for the current one."
  type        = string
  default     = null
}

variable "namespace" {
  description = "The namespace the manifests are rendered for (overlays/prod: pipewright)."
  type        = string
  default     = "pipewright"
}

variable "manifests_file" {
  description = "The rendered overlay: kubectl kustomize deploy/k8s/overlays/prod > this file."
  type        = string
  default     = "rendered/prod.yaml"
}

variable "master_key" {
  description = "PIPEWRIGHT_MASTER_KEY: every route, and the key the gateways use towards the model service."
  type        = string
  sensitive   = true
}

variable "anthropic_api_key" {
  description = "ANTHROPIC_API_KEY; empty leaves the hosted Anthropic models falling back to the local ones."
  type        = string
  sensitive   = true
  default     = ""
}

variable "openai_api_key" {
  description = "OPENAI_API_KEY; empty leaves the hosted OpenAI models falling back to the local ones."
  type        = string
  sensitive   = true
  default     = ""
}

variable "install_prometheus_adapter" {
  description = "Install the Prometheus Adapter (Helm) with the rules the autoscalers need."
  type        = bool
  default     = true
}

variable "prometheus_url" {
  description = "Where the Prometheus Adapter queries Prometheus."
  type        = string
  default     = "http://prometheus-server.monitoring.svc"
}

variable "postgres_host" {
  description = "An existing PostgreSQL's host name; ignored when create_managed_postgres is true."
  type        = string
  default     = ""
}

variable "postgres_password" {
  description = "The password of the database user `pipewright`, also given to a created managed database."
  type        = string
  sensitive   = true
}

variable "redis_host" {
  description = "An existing Redis's host name; ignored when create_managed_redis is true."
  type        = string
  default     = ""
}

variable "create_managed_postgres" {
  description = "Provision Amazon RDS for PostgreSQL (needs aws_region, subnet_ids and security_group_ids)."
  type        = bool
  default     = false
}

variable "create_managed_redis" {
  description = "Provision Amazon ElastiCache for Redis (needs aws_region, subnet_ids and security_group_ids)."
  type        = bool
  default     = false
}

variable "aws_region" {
  description = "The AWS region of the managed services."
  type        = string
  default     = "eu-west-1"
}

variable "subnet_ids" {
  description = "Private subnets of the cluster's VPC for the managed services."
  type        = list(string)
  default     = []
}

variable "security_group_ids" {
  description = "Security groups that let the cluster's nodes reach PostgreSQL (5432) and Redis (6379)."
  type        = list(string)
  default     = []
}

variable "postgres_instance_class" {
  description = "The RDS instance class."
  type        = string
  default     = "db.t4g.medium"
}

variable "redis_node_type" {
  description = "The ElastiCache node type."
  type        = string
  default     = "cache.t4g.small"
}
