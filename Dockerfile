# Two images from one Dockerfile, each built from its own project alone:
#   docker build -t inverselearning .                               the ranking service (default: the last stage)
#   docker build --target train -t inverselearning-train .          the trainer, for the publish-model job
#   docker run -p 50051:50051 -v "$PWD/models/repo:/models:ro" inverselearning
# The service image is exactly `dotnet publish src/Serving` run from its own directory,
# which `make publish-check` starts and probes without a container engine: the serving host
# (inverselearning-serve) without the trainer's dependencies. Both run on the ASP.NET Core
# runtime (the trainer's `serve` verb hosts the same service); no SDK, sources or tests in either.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so source edits do not invalidate the package layers.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Data/InverseLearning.Data.csproj src/Data/
COPY src/Serving/InverseLearning.Serving.csproj src/Serving/
COPY src/Training/InverseLearning.Training.csproj src/Training/
RUN dotnet restore src/Serving/InverseLearning.Serving.csproj && dotnet restore src/Training/InverseLearning.Training.csproj
COPY proto/ proto/
COPY src/ src/

FROM build AS publish-train
RUN dotnet publish src/Training/InverseLearning.Training.csproj -c Release --no-restore -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS train
WORKDIR /app
COPY --from=publish-train /app ./
USER $APP_UID
ENTRYPOINT ["dotnet", "inverselearning.dll"]

FROM build AS publish-serve
RUN dotnet publish src/Serving/InverseLearning.Serving.csproj -c Release --no-restore -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS serve
WORKDIR /app
COPY --from=publish-serve /app ./
# The base image's unprivileged user (uid 1654); nothing in the image is writable by it,
# and the model repository is mounted read-only.
USER $APP_UID
VOLUME /models
# 50051: gRPC (Ranker + grpc.health.v1), on every interface of the container.
# 9464: /metrics and /admin/reload, bound to loopback by --admin-host: reachable from
# inside the pod (kubectl exec, a sidecar), not from the network.
EXPOSE 50051
# Workstation GC: a replica is sized by its container limit, not by the node.
ENV DOTNET_gcServer=0
ENTRYPOINT ["dotnet", "inverselearning-serve.dll"]
# A versioned bundle repository mounted at /models (newest version served, new versions
# picked up as the training job publishes them). Every flag is also a setting
# (Ranking__MaxTopK=500 in the environment). To serve one file instead:
#   docker run ... inverselearning --model /models/model.onnx --host 0.0.0.0 --port 50051
CMD ["--model-dir", "/models", "--host", "0.0.0.0", "--port", "50051", "--admin-host", "127.0.0.1", "--metrics-port", "9464"]
