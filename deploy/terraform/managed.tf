# Optional managed PostgreSQL and Redis on AWS, behind create_managed_postgres and create_managed_redis. Both are
# private to the VPC (no public access), encrypted at rest, and sized by variables; replace with your cloud's
# equivalents as needed.

provider "aws" {
  region = var.aws_region
}

resource "aws_db_subnet_group" "pipewright" {
  count      = var.create_managed_postgres ? 1 : 0
  name       = "pipewright"
  subnet_ids = var.subnet_ids
}

resource "aws_db_instance" "postgres" {
  count                     = var.create_managed_postgres ? 1 : 0
  identifier                = "pipewright"
  engine                    = "postgres"
  engine_version            = "17"
  instance_class            = var.postgres_instance_class
  allocated_storage         = 50
  max_allocated_storage     = 500
  storage_encrypted         = true
  db_name                   = "pipewright"
  username                  = "pipewright"
  password                  = var.postgres_password
  db_subnet_group_name      = aws_db_subnet_group.pipewright[0].name
  vpc_security_group_ids    = var.security_group_ids
  publicly_accessible       = false
  multi_az                  = true
  backup_retention_period   = 7
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "pipewright-final"
}

resource "aws_elasticache_subnet_group" "pipewright" {
  count      = var.create_managed_redis ? 1 : 0
  name       = "pipewright"
  subnet_ids = var.subnet_ids
}

resource "aws_elasticache_cluster" "redis" {
  count                = var.create_managed_redis ? 1 : 0
  cluster_id           = "pipewright"
  engine               = "redis"
  engine_version       = "7.1"
  node_type            = var.redis_node_type
  num_cache_nodes      = 1
  port                 = 6379
  subnet_group_name    = aws_elasticache_subnet_group.pipewright[0].name
  security_group_ids   = var.security_group_ids
  parameter_group_name = "default.redis7"
}
