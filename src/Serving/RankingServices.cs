using Grpc.AspNetCore.Server;
using InverseLearning.Serving.Models;
using InverseLearning.Serving.Operations;
using InverseLearning.Serving.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving;

/// <summary>The ranking server's services: its options, the model host and its watcher, gRPC and the admin plane's authentication.</summary>
public static class RankingServices
{
    public static void AddRankingServices(this IServiceCollection services)
    {
        services.AddOptions<RankingOptions>().BindConfiguration(RankingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RankingOptions>, RankingOptionsValidation>();
        services.AddOptions<HostOptions>().Configure<IOptions<RankingOptions>>((host, ranking) => host.ShutdownTimeout = ranking.Value.DrainTimeout);
        services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        services.AddSingleton<ReloadThrottle>();
        services.AddSingleton<CallGauge>();
        services.AddHostedService<IdleMemoryTrimmer>();
        services.AddSingleton<ServingMetrics>();
        services.AddSingleton<ModelHost>();
        services.AddSingleton<RequestValidator>();
        services.AddGrpc(grpc => grpc.CompressionProviders = CheckedCompression.Defaults());
        // The Ranker's alone: health and reflection keep gRPC's own 4 MB, so that a small --max-request-bytes never fails a
        // probe (their requests are a service or symbol name, well inside Kestrel's body limit of MaxRequestBytes + 4 KiB).
        services.AddOptions<GrpcServiceOptions<RankerService>>().Configure<IOptions<RankingOptions>>((grpc, ranking) =>
        {
            // GrpcAdmission refuses a message declared over MaxRequestBytes (INVALID_ARGUMENT) before
            // gRPC reads it; this ceiling is what still guards a compressed one once inflated.
            grpc.MaxReceiveMessageSize = ranking.Value.MaxRequestBytes;
        });
        // Asked for the whole server ("") or for the Ranker by its full name, as a client checks the service it calls: the same model check.
        services.AddGrpcHealthChecks(health => health.Services.Map(V1.Ranker.Descriptor.FullName, _ => true)).AddCheck<ModelHealthCheck>(ModelHealthCheck.Name);
        StoppingHealthChecks.Install(services);
        services.AddGrpcReflection();
        services.AddHostedService<ModelFileWatcher>();
        // Its StoppingAsync runs before any hosted service stops, Kestrel's included: the listener stops once every RankStream is over.
        services.AddSingleton<RankStreamDrain>();
        services.AddHostedService(provider => provider.GetRequiredService<RankStreamDrain>());
        services.AddAdminAuthentication();
    }
}
