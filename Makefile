# InverseLearning — the two quick-start commands are `make run` and `make test`.
DOTNET      ?= dotnet
CONFIG      ?= Release
CLI          = $(DOTNET) src/Training/bin/$(CONFIG)/net10.0/inverselearning.dll
DATA_DIR    ?= models/default-feed
RUN_DIR     ?= models/quickstart
SERVE_MODEL ?= $(RUN_DIR)/gmf/ig/seed42/model.onnx
# The showcase's training settings (same for both methods): a few epochs suffice, the
# best epoch by validation loss comes early on this log.
RUN_FLAGS   ?= --models gmf --methods ns,ig --epochs 5 --lr 2e-3 --seed 42
PORT        ?= 50051

.PHONY: all build run test bench serve clean mutate

all: build

build:
	$(DOTNET) build InverseLearning.sln -c $(CONFIG) --nologo -v quiet

# The showcase: the default simulated feed log -> NS and IG on GMF (same split and seed)
# -> each run exported (model.onnx) -> the table of test metrics, observed and clean.
run: build
	@test -f $(DATA_DIR)/interactions.parquet || $(CLI) datagen --preset default --out $(DATA_DIR)
	$(CLI) experiment --data $(DATA_DIR)/interactions.parquet --out $(RUN_DIR) $(RUN_FLAGS)
	@echo "IG model: $(SERVE_MODEL) (serve it with: make serve); plots: $(RUN_DIR)/gmf/ig/seed42/*.png"

test:
	$(DOTNET) test InverseLearning.sln -c $(CONFIG) --nologo

bench: build
	$(DOTNET) run --project tests/Benchmarks -c $(CONFIG) -- $(ARGS)

# Mutation testing (Stryker.NET, a local tool) of the trainer's plan machinery, methods and
# strategies by tests/Training.Tests. Slow (tens of minutes on 2 cores): never part of
# `make test` or CI. Narrow it while iterating: make mutate MUTATE_ARGS='--mutate "**/Plans/**/*.cs"';
# MUTATE_CONFIG=stryker-config.fast.json leaves out the tests that train whole runs.
MUTATE_CONFIG ?= stryker-config.json
mutate:
	$(DOTNET) tool restore
	cd tests/Training.Tests && $(DOTNET) tool run dotnet-stryker --config-file $(MUTATE_CONFIG) --output ../../artifacts/mutation $(MUTATE_ARGS)

serve: build
	$(CLI) serve --model $(SERVE_MODEL) --port $(PORT)

clean:
	$(DOTNET) clean InverseLearning.sln -c $(CONFIG) --nologo -v quiet
	rm -rf models/*/ TestResults
