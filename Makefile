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

.PHONY: all build run test bench serve clean publish-check

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

serve: build
	$(CLI) serve --model $(SERVE_MODEL) --port $(PORT)

# The container image's payload without a container engine: the exact `dotnet publish`
# output the Dockerfile copies, started from its own directory and probed like Kubernetes
# would (grpc.health.v1 on 0.0.0.0, metrics on the admin port).
PUBLISH_DIR ?= models/publish
publish-check:
	rm -rf $(PUBLISH_DIR)
	$(DOTNET) publish src/Training/InverseLearning.Training.csproj -c $(CONFIG) -o $(PUBLISH_DIR) --nologo -v quiet
	sh deploy/publish-check.sh $(PUBLISH_DIR)

clean:
	$(DOTNET) clean InverseLearning.sln -c $(CONFIG) --nologo -v quiet
	rm -rf models/*/ TestResults
