output "namespace" {
  description = "Where Pipewright runs."
  value       = kubernetes_namespace_v1.pipewright.metadata[0].name
}

output "postgres_host" {
  description = "The PostgreSQL host behind the Service `postgres`."
  value       = local.postgres_host
}

output "redis_host" {
  description = "The Redis host behind the Service `redis`."
  value       = local.redis_host
}
