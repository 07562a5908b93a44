# InverseLearning — the two quick-start commands are `make run` and `make test`.
DOTNET      ?= dotnet
CONFIG      ?= Release
# ORT=gpu builds against ONNX Runtime's CUDA 13 package, into bin/gpu (README, "The GPU build");
# CI and the CPU serving image use the default.
ORT         ?= cpu
CLI          = $(DOTNET) src/Training/bin/$(if $(filter gpu,$(ORT)),gpu/)$(CONFIG)/net10.0/inverselearning.dll
# A new folder name whenever the simulator's calibration changes, so no stale log is reused.
DATA_DIR    ?= models/default-feed-calibrated
RUN_DIR     ?= models/quickstart
SERVE_RUN   ?= $(RUN_DIR)/gmf/ig/seed42
# make run publishes the IG model here as a new version (beside the experiment's folder, not in it: a run
# into that folder would count it as files it did not write); make serve serves the newest one
# (model and seen list always of one version, swapped when a newer is published).
SERVE_REPO  ?= models/repository
# The showcase's training settings (same for every method): a few epochs suffice on this log;
# 3 seeds per method so the table can say which differences are more than seed noise; two runs
# at a time, one thread each. The baseline is None (BCE on the labeled rows alone), the
# strongest on this feed (RESULTS.md, Table 1): IG is compared with the best it must beat.
RUN_FLAGS   ?= --models gmf --methods none,ns,idl,ig --baseline none --repeats 3 --epochs 5 --lr 2e-3 --seed 42 --jobs 2 --threads 1
PORT        ?= 50051

.PHONY: all build run test bench serve clean publish-check mutate gpu-check gpu-check-local cluster-check

all: build

build:
	$(DOTNET) build InverseLearning.sln -c $(CONFIG) -p:OrtFlavor=$(ORT) --nologo -v quiet

# The showcase: the default simulated feed log -> None, NS, IDL and IG on GMF (same split, seeds
# 42-44) -> each run exported (model.onnx) -> the table of test metrics, observed and clean, each
# method against None with its paired significance, and one sentence saying who won what.
# SERVE_RUN (exported at the end) must be a run RUN_FLAGS makes (a model, method and seed of its --models, --methods, --seed and
# --repeats), or an earlier run's folder outside RUN_DIR that holds its checkpoint, and SERVE_REPO a folder or nothing yet:
# checked first, since the experiment otherwise ran whole and then failed at the export. Paths may hold spaces.
run: build
	@for var in "DATA_DIR=$(DATA_DIR)" "RUN_DIR=$(RUN_DIR)" "SERVE_RUN=$(SERVE_RUN)" "SERVE_REPO=$(SERVE_REPO)"; do \
	  [ -n "$${var#*=}" ] || { echo "make run: $${var%%=*} is empty; give it a folder, or leave it out for its default" >&2; exit 2; }; done; \
	[ ! -e "$(SERVE_REPO)" ] || [ -d "$(SERVE_REPO)" ] || { echo "make run: SERVE_REPO=$(SERVE_REPO) is not a folder; set it to the model repository to publish into" >&2; exit 2; }; \
	serve="$(SERVE_RUN)"; serve=$${serve%/}; serve=$${serve#./}; rundir="$(RUN_DIR)"; rundir=$${rundir%/}; rundir=$${rundir#./}; \
	set -- $(RUN_FLAGS); models=gmf,neumf; methods=; seed=42; repeats=1; \
	while [ $$# -gt 0 ]; do case "$$1" in \
	  --models=*) models=$${1#*=};; --methods=*) methods=$${1#*=};; --seed=*) seed=$${1#*=};; --repeats=*) repeats=$${1#*=};; \
	  --models) models=$$2;; --methods) methods=$$2;; --seed) seed=$$2;; --repeats) repeats=$$2;; esac; shift; done; \
	rel=$${serve#"$$rundir"/}; [ "$$rel" != "$$serve" ] || { [ -f "$$serve/checkpoint" ] && exit 0; \
	  echo "make run: SERVE_RUN=$$serve is outside RUN_DIR=$(RUN_DIR) and holds no checkpoint: set it to a run of RUN_FLAGS ($(RUN_DIR)/MODEL/METHOD/seedN) or to an earlier run's folder" >&2; exit 2; }; \
	model=$${rel%%/*}; rest=$${rel#*/}; method=$${rest%%/*}; n=$${rest#*/seed}; \
	case ",$$models," in *",$$model,"*) ;; *) ok=no;; esac; \
	[ -z "$$methods" ] || case ",$$methods," in *",$$method,"*) ;; *) ok=no;; esac; \
	case "$$n" in ''|*[!0-9]*) ok=no;; *) [ "$$n" -ge "$$seed" ] 2>/dev/null && [ "$$n" -lt $$((seed + repeats)) ] 2>/dev/null || ok=no;; esac; \
	[ -z "$$ok" ] || { echo "make run: SERVE_RUN=$$serve is no run of RUN_FLAGS (models $$models, methods $${methods:-all}, seeds $$seed..$$((seed + repeats - 1))); set SERVE_RUN=$(RUN_DIR)/MODEL/METHOD/seedN to one of them" >&2; exit 2; }
	@test -f "$(DATA_DIR)/interactions.parquet" || $(CLI) datagen --preset default --out "$(DATA_DIR)"
	$(CLI) experiment --data "$(DATA_DIR)/interactions.parquet" --out "$(RUN_DIR)" $(RUN_FLAGS)
	$(CLI) export --checkpoint "$(SERVE_RUN)/checkpoint" --data "$(DATA_DIR)/interactions.parquet" --repository "$(SERVE_REPO)" --keep-versions 3
	@echo "Served run: $(SERVE_RUN)/model.onnx, published in $(SERVE_REPO) (serve it with: make serve); plots: $(SERVE_RUN)/*.png"

test:
	$(DOTNET) test InverseLearning.sln -c $(CONFIG) -p:OrtFlavor=$(ORT) --nologo

bench: build
	$(DOTNET) run --project tests/Benchmarks -c $(CONFIG) -- $(ARGS)

# Mutation testing (Stryker.NET, a local tool) of the trainer's core by tests/Training.Tests: methods,
# plans, strategies, backbones, stages, the trainer and the host store (stryker-config.json's "mutate").
# Slow (tens of minutes on 2 cores): never part of `make test` or CI. Narrow it while iterating: make mutate MUTATE_ARGS='--mutate "**/Plans/**/*.cs"';
# MUTATE_CONFIG=stryker-config.fast.json runs a faster subset of the tests (its test-case-filter; BENCHMARKS.md).
MUTATE_CONFIG ?= stryker-config.json
mutate:
	$(DOTNET) tool restore
	cd tests/Training.Tests && $(DOTNET) tool run dotnet-stryker --config-file $(MUTATE_CONFIG) --output ../../artifacts/mutation $(MUTATE_ARGS)

serve: build
	$(CLI) serve --model-dir "$(SERVE_REPO)" --port $(PORT)

# The serving image's payload without a container engine: the exact `dotnet publish` output
# of the serving host that the Dockerfile copies, started from its own directory and probed
# like Kubernetes would (grpc.health.v1 on 0.0.0.0, metrics on the admin port), and checked
# to hold none of the trainer's dependencies. The built CLI trains the model it serves.
PUBLISH_DIR ?= models/publish/serve
publish-check: build
	rm -rf $(PUBLISH_DIR)
	$(DOTNET) publish src/Serving/InverseLearning.Serving.csproj -c $(CONFIG) -o $(PUBLISH_DIR) --nologo -v quiet
	TRAIN="$(CLI)" sh deploy/publish-check.sh $(PUBLISH_DIR)

# Issue 24's GPU check (README, "GPU check"): the `gpu` benchmark published self-contained on the
# GPU build, compressed and cut into .gpu-upload/partNN/ chunks, with the exact calls to make on the
# GPU machine printed at the end. gpu-check-local replays those calls here into a scratch folder and
# runs the CPU half from the unpacked payload (minutes: never part of `make test`).
gpu-check:
	bash deploy/gpu-check/pack.sh

gpu-check-local:
	bash deploy/gpu-check/local-test.sh

# Issue 25's end-to-end check of training past one machine (README, "Past one machine"): GMF
# with ns and ig on the calibrated default feed, by one process and by 2 workers over 2 local
# silos (seeds 42-44), silo 1 killed (kill -9) mid-epoch in each method's first cluster run.
# It ends with one JSON object (single_auc, cluster_auc, silos, workers, silo_killed,
# run_completed, updates_lost, significant_loss), then the time it took. About 10 minutes here; never part of `make test`.
cluster-check: build
	$(DOTNET) run --project tests/Benchmarks -c $(CONFIG) --no-build -- cluster-check

clean:
	$(DOTNET) clean InverseLearning.sln -c $(CONFIG) --nologo -v quiet
	rm -rf models/*/ TestResults
