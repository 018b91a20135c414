# Clickstream pipeline (pipelines/): local runs on open-source Spark Declarative Pipelines.
.PHONY: pipeline pipeline-check jars bench-pipeline

DELTA_JARS_DIR := .local/jars
DELTA_JARS_STAMP := $(DELTA_JARS_DIR)/.fetched

# `make test` on a fresh machine needs the Delta jars too.
setup: jars

##@ Pipeline
jars: $(DELTA_JARS_STAMP) ## Fetch the Delta Lake jars from Maven Central into .local/jars (once; offline after)

$(DELTA_JARS_STAMP): pipelines/delta-jars.pom.xml
	@command -v mvn >/dev/null || { echo "jars: Maven (mvn) is missing - install maven; it fetches the Delta jars" >&2; exit 1; }
	@echo "jars: fetching Delta Lake jars with Maven into $(DELTA_JARS_DIR)"
	@mvn -q -B -f pipelines/delta-jars.pom.xml dependency:copy-dependencies \
	  -DoutputDirectory=$(abspath $(DELTA_JARS_DIR)) -DexcludeTransitive=true -DincludeScope=runtime
	@touch $@

pipeline: setup jars ## Run the pipeline locally over .local/landing (FULL_REFRESH=1 rebuilds silver/gold)
	@$(PY) -m pipelines.run $(if $(FULL_REFRESH),--full-refresh)

pipeline-check: setup jars ## Validate the pipeline graph without running it (spark-pipelines dry-run), timed
	@$(PY) -m pipelines.run --check

bench-pipeline: setup jars ## 1M events end to end vs a plain Spark JSON->Delta floor, and a 1% incremental run
	@$(PY) -m bench.pipeline
