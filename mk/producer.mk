# Producer targets (see producer/README.md).
EVENTS ?= 200000
SEED ?= 1
RATE ?= max
LANDING ?= .local/landing

.PHONY: produce bench-producer

##@ Producer
produce: setup ## Generate clickstream events into the local landing zone: make produce EVENTS=200000 SEED=1
	@$(PY) -m producer --sink local --root $(LANDING) --events $(EVENTS) --seed $(SEED) --rate $(RATE)

bench-producer: setup ## Producer events/s to the local sink vs an orjson-to-one-file floor (prints the ratio)
	@$(PY) -m bench.producer
