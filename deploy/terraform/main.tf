# Applies Pipewright's rendered Kubernetes manifests to a cluster, with the Secret of keys, the Services `postgres`
# and `redis` the configuration names, and the Prometheus Adapter; managed PostgreSQL and Redis are optional
# (managed.tf). A starting point to adapt: see README.md beside this file.

provider "kubernetes" {
  config_path    = pathexpand(var.kubeconfig_path)
  config_context = var.kube_context
}

provider "helm" {
  kubernetes {
    config_path    = pathexpand(var.kubeconfig_path)
    config_context = var.kube_context
  }
}

locals {
  documents = provider::kubernetes::manifest_decode_multi(file(var.manifests_file))
  # The namespace is made below, before anything goes in it; every other document is applied as it is.
  manifests = {
    for document in local.documents :
    "${document.kind}/${document.metadata.name}" => document if document.kind != "Namespace"
  }
  postgres_host = var.create_managed_postgres ? aws_db_instance.postgres[0].address : var.postgres_host
  redis_host    = var.create_managed_redis ? aws_elasticache_cluster.redis[0].cache_nodes[0].address : var.redis_host
}

resource "kubernetes_namespace_v1" "pipewright" {
  metadata {
    name = var.namespace
  }
}

resource "kubernetes_secret_v1" "keys" {
  metadata {
    name      = "pipewright-secrets"
    namespace = kubernetes_namespace_v1.pipewright.metadata[0].name
  }
  data = merge(
    {
      "master-key" = var.master_key
      "pgpass"     = "postgres:5432:pipewright:pipewright:${var.postgres_password}"
    },
    var.anthropic_api_key == "" ? {} : { "anthropic-api-key" = var.anthropic_api_key },
    var.openai_api_key == "" ? {} : { "openai-api-key" = var.openai_api_key },
  )
}

# The configuration reaches the databases as `postgres` and `redis` in its namespace; these name the real hosts.
resource "kubernetes_service_v1" "postgres" {
  count = local.postgres_host == "" ? 0 : 1
  metadata {
    name      = "postgres"
    namespace = kubernetes_namespace_v1.pipewright.metadata[0].name
  }
  spec {
    type          = "ExternalName"
    external_name = local.postgres_host
  }
}

resource "kubernetes_service_v1" "redis" {
  count = local.redis_host == "" ? 0 : 1
  metadata {
    name      = "redis"
    namespace = kubernetes_namespace_v1.pipewright.metadata[0].name
  }
  spec {
    type          = "ExternalName"
    external_name = local.redis_host
  }
}

resource "kubernetes_manifest" "pipewright" {
  for_each   = local.manifests
  manifest   = each.value
  depends_on = [kubernetes_secret_v1.keys]
}

resource "helm_release" "prometheus_adapter" {
  count            = var.install_prometheus_adapter ? 1 : 0
  name             = "prometheus-adapter"
  repository       = "https://prometheus-community.github.io/helm-charts"
  chart            = "prometheus-adapter"
  version          = "4.11.0"
  namespace        = "monitoring"
  create_namespace = true
  values           = [file("${path.module}/../k8s/prometheus-adapter/values.yaml")]
  set {
    name  = "prometheus.url"
    value = var.prometheus_url
  }
}
