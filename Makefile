# InverseLearning — the two quick-start commands are `make run` and `make test`.
DOTNET      ?= dotnet
CONFIG      ?= Release
CLI          = $(DOTNET) src/Training/bin/$(CONFIG)/net10.0/inverselearning.dll
DATA_DIR    ?= models/default-feed
RUN_DIR     ?= models/quickstart
PORT        ?= 50051

.PHONY: all build run test bench serve clean

all: build

build:
	$(DOTNET) build InverseLearning.sln -c $(CONFIG) --nologo -v quiet

# The showcase: default simulated feed log -> inspect it (training joins as it lands).
run: build
	@test -f $(DATA_DIR)/interactions.parquet || $(CLI) datagen --preset default --out $(DATA_DIR)
	$(CLI) inspect --data $(DATA_DIR)/interactions.parquet

test:
	$(DOTNET) test InverseLearning.sln -c $(CONFIG) --nologo

bench: build
	$(DOTNET) run --project tests/Benchmarks -c $(CONFIG) -- $(ARGS)

serve: build
	$(CLI) serve --model $(RUN_DIR)/model.onnx --port $(PORT)

clean:
	$(DOTNET) clean InverseLearning.sln -c $(CONFIG) --nologo -v quiet
	rm -rf models/*/ TestResults
