# Three images from one Dockerfile, each built from its own project alone:
#   docker build -t inverselearning .                               the ranking service (default: the last stage)
#   docker build --target train -t inverselearning-train .          the trainer, for the publish-model job
#   docker build --target runtime-gpu -t inverselearning-gpu .      the trainer on ONNX Runtime's CUDA 13 build
#   docker run --gpus all -v "$PWD/models:/models" inverselearning-gpu train --device cuda ...
#   docker run --gpus all -p 50051:50051 -v "$PWD/models/repository:/models:ro" inverselearning-gpu serve --model-dir /models --host 0.0.0.0
#   docker run -p 50051:50051 -v "$PWD/models/repository:/models:ro" inverselearning
# The service image is exactly `dotnet publish src/Serving` run from its own directory,
# which `make publish-check` starts and probes without a container engine: the serving host
# (inverselearning-serve) without the trainer's dependencies. Both run on the ASP.NET Core
# runtime (the trainer's `serve` verb hosts the same service); no SDK, sources or tests in either.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS projects
WORKDIR /src
# Restore first, from the project files alone, so source edits do not invalidate the package layers.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Data/InverseLearning.Data.csproj src/Data/
COPY src/Serving/InverseLearning.Serving.csproj src/Serving/
COPY src/Training/InverseLearning.Training.csproj src/Training/

FROM projects AS build
RUN dotnet restore src/Serving/InverseLearning.Serving.csproj && dotnet restore src/Training/InverseLearning.Training.csproj
COPY proto/ proto/
COPY src/ src/

FROM build AS publish-train
RUN dotnet publish src/Training/InverseLearning.Training.csproj -c Release --no-restore -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS train
WORKDIR /app
# The runs' charts (ScottPlot) draw their text with a system font, and the base image has none: without one they hold no text.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
COPY --from=publish-train /app ./
USER $APP_UID
# The base image's ASPNETCORE_HTTP_PORTS=8080, cleared: `serve` refuses hosting URLs (its listeners are set by its flags only).
ENV ASPNETCORE_HTTP_PORTS=
ENTRYPOINT ["dotnet", "inverselearning.dll"]

# The GPU flavor restores its own package (~550 MB) in its own stage: the CPU images never fetch it.
# Self-contained, because the CUDA base image has no .NET.
FROM projects AS publish-train-gpu
RUN dotnet restore src/Training/InverseLearning.Training.csproj -p:OrtFlavor=gpu -r linux-x64
COPY proto/ proto/
COPY src/ src/
RUN dotnet publish src/Training/InverseLearning.Training.csproj -c Release --no-restore -p:OrtFlavor=gpu -r linux-x64 --self-contained -o /app --nologo

# CUDA 13 with cuDNN 9: the libraries ORT's CUDA provider loads (libcublasLt.so.13, libcudnn.so.9, ...).
# The host supplies the driver (docker run --gpus all, or the NVIDIA device plugin).
FROM nvidia/cuda:13.0.2-cudnn-runtime-ubuntu24.04 AS runtime-gpu
WORKDIR /app
# A font for the charts' text, as in the train image: the CUDA base has none either.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
COPY --from=publish-train-gpu /app ./
USER ubuntu
# `serve` in this image scores on the GPU unless told otherwise (--device cpu, or Ranking__Device=cpu).
ENV Ranking__Device=cuda
ENTRYPOINT ["/app/inverselearning"]

FROM build AS publish-serve
RUN dotnet publish src/Serving/InverseLearning.Serving.csproj -c Release --no-restore -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS serve
WORKDIR /app
COPY --from=publish-serve /app ./
# The base image's unprivileged user (uid 1654); nothing in the image is writable by it,
# and the model repository is mounted read-only.
USER $APP_UID
VOLUME /models
# 50051: gRPC (Ranker + grpc.health.v1), on every IPv4 and IPv6 address of the container (`*`).
# 9464: /metrics and /admin/reload, bound to loopback by --admin-host: reachable from
# inside the container only, as a bare `docker run` has no admin token; deploy/k8s opens it
# on the pod's address (--admin-host *) for Prometheus and the kubelet, with a token guarding reloads.
EXPOSE 50051
# Workstation GC: a replica is sized by its container limit, not by the node.
ENV DOTNET_gcServer=0
# The base image's ASPNETCORE_HTTP_PORTS=8080, cleared: the server refuses hosting URLs (its listeners are set by its flags only).
ENV ASPNETCORE_HTTP_PORTS=
ENTRYPOINT ["dotnet", "inverselearning-serve.dll"]
# A versioned bundle repository mounted at /models (newest version served, new versions
# picked up as the training job publishes them). Every flag is also a setting
# (Ranking__MaxTopK=500 in the environment). To serve one file instead:
#   docker run ... inverselearning --model /models/model.onnx --host 0.0.0.0 --port 50051
CMD ["--model-dir", "/models", "--host", "*", "--port", "50051", "--admin-host", "127.0.0.1", "--metrics-port", "9464"]
