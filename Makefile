# InverseLearning — the two quick-start commands are `make run` and `make test`.
DOTNET      ?= dotnet
CONFIG      ?= Release
CLI          = $(DOTNET) src/Training/bin/$(CONFIG)/net10.0/inverselearning.dll
DATA_DIR    ?= models/default-feed
RUN_DIR     ?= models/quickstart
SERVE_RUN   ?= $(RUN_DIR)/gmf/ig/seed42
# make run publishes the IG model here as a new version; make serve serves the newest one
# (model and seen list always of one version, swapped when a newer is published).
SERVE_REPO  ?= $(RUN_DIR)/repository
# The showcase's training settings (same for both methods): a few epochs suffice, the
# best epoch by validation loss comes early on this log.
RUN_FLAGS   ?= --models gmf --methods ns,ig --epochs 5 --lr 2e-3 --seed 42
PORT        ?= 50051

.PHONY: all build run test bench serve clean

all: build

build:
	$(DOTNET) build InverseLearning.sln -c $(CONFIG) --nologo -v quiet

# The showcase: the default simulated feed log -> NS and IG on GMF (same split and seed)
# -> each run exported (model.onnx) -> the table of test metrics, observed and clean.
run: build
	@test -f $(DATA_DIR)/interactions.parquet || $(CLI) datagen --preset default --out $(DATA_DIR)
	$(CLI) experiment --data $(DATA_DIR)/interactions.parquet --out $(RUN_DIR) $(RUN_FLAGS)
	$(CLI) export --checkpoint $(SERVE_RUN)/checkpoint --data $(DATA_DIR)/interactions.parquet --repository $(SERVE_REPO) --keep-versions 3
	@echo "IG model: $(SERVE_RUN)/model.onnx, published in $(SERVE_REPO) (serve it with: make serve); plots: $(SERVE_RUN)/*.png"

test:
	$(DOTNET) test InverseLearning.sln -c $(CONFIG) --nologo

bench: build
	$(DOTNET) run --project tests/Benchmarks -c $(CONFIG) -- $(ARGS)

serve: build
	$(CLI) serve --model-dir $(SERVE_REPO) --port $(PORT)

clean:
	$(DOTNET) clean InverseLearning.sln -c $(CONFIG) --nologo -v quiet
	rm -rf models/*/ TestResults
