using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Messaging;
using Orleans.Runtime;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// A client's gateways given by --cluster, less those whose silo the cluster's own membership has declared dead (or is stopping).
/// Orleans' client drops a gateway only when its connection fails: a paused silo (SIGSTOP) keeps its connections open, so the
/// calls routed through its gateway timed out, their retries went the same way, and the run ended. Given an updatable list,
/// Orleans refreshes it every <see cref="RefreshPeriod"/> and closes its connections to a gateway the list left out, so the calls
/// move to the others. The membership is asked through every gateway at once (a read routed through the paused one never answers);
/// when no answer comes within <see cref="ReadTimeout"/>, every gateway is kept, and the list is never empty.
/// </summary>
/// <param name="configured">The gateways --cluster named.</param>
/// <param name="services">The client's services, whose grain factory reads the membership (the client is not built yet when this is).</param>
/// <param name="report">Where a gateway left out or back is told, one line each; null: nowhere.</param>
public sealed class MembershipGatewayList(IReadOnlyList<IPEndPoint> configured, IServiceProvider services, Action<string>? report) : IGatewayListProvider
{
    /// <summary>How often the client asks for the list (Orleans' default: one minute).</summary>
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(5);

    /// <summary>How long a membership read may take before every gateway is kept this time.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _one = new(1);
    private HashSet<IPEndPoint> _leftOut = [];
    private bool _clientStarted;

    public TimeSpan MaxStaleness => RefreshPeriod;

    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => Task.CompletedTask;

    public async Task<IList<Uri>> GetGateways()
    {
        await _one.WaitAsync();
        try
        {
            // The client's start asks first, before any grain can be called through it.
            var members = _clientStarted ? await ReadMembership() : null;
            var leftOut = LeftOut(members);
            Tell(leftOut, unread: _clientStarted && members is null);
            _clientStarted = true;
            return configured.Where(g => !leftOut.Contains(g)).Select(g => g.ToGatewayUri()).ToList();
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>
    /// The configured gateways that <paramref name="members"/> (null: unread) lists only as a silo stopping or dead: one a silo
    /// restarted on the same ports also lists as active is kept, as is one it does not list at all. Never all of them.
    /// </summary>
    public HashSet<IPEndPoint> LeftOut(IReadOnlyList<MembershipEntry>? members)
    {
        if (members is null) return [];
        var byGateway = members.ToLookup(m => new IPEndPoint(m.SiloAddress.Endpoint.Address, m.ProxyPort));
        var leftOut = configured.Where(g => byGateway[g].Any() && byGateway[g].All(m => m.Status.IsTerminating())).ToHashSet();
        return leftOut.Count < configured.Count ? leftOut : [];
    }

    // One line per gateway whose standing changed.
    private void Tell(HashSet<IPEndPoint> leftOut, bool unread)
    {
        foreach (var gateway in leftOut.Except(_leftOut))
            report?.Invoke($"cluster: gateway {gateway} left out: the cluster declared its silo dead (paused, or stopped); calls go through the other gateways");
        foreach (var gateway in _leftOut.Except(leftOut))
            report?.Invoke($"cluster: gateway {gateway} taken back: " +
                (unread ? $"the cluster's membership could not be read within {ReadTimeout.TotalSeconds:F0} s" : "its silo is no longer declared dead"));
        _leftOut = leftOut;
    }

    // The first answer of the management grains asked through every gateway: each grain key falls in a bucket of its own, and the
    // client gives each new bucket the next gateway in turn. Twice as many keys as gateways, since other calls take turns too.
    private async Task<IReadOnlyList<MembershipEntry>?> ReadMembership()
    {
        var grains = services.GetRequiredService<IGrainFactory>();
        var reads = Enumerable.Range(0, 2 * configured.Count).Select(key => grains.GetGrain<IManagementGrain>(key).GetDetailedHosts(onlyActive: false)).ToList();
        var deadline = Task.Delay(ReadTimeout);
        try
        {
            while (reads.Count > 0)
            {
                var first = await Task.WhenAny(reads.Append<Task>(deadline));
                if (first == deadline) return null;
                var read = (Task<MembershipEntry[]>)first;
                reads.Remove(read);
                if (read.IsCompletedSuccessfully) return read.Result;
            }
            return null;
        }
        finally
        {
            // The reads left time out on their own; their failures are nobody's concern.
            foreach (var read in reads) _ = read.ContinueWith(static r => r.Exception, TaskScheduler.Default);
        }
    }
}
