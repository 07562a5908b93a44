using System.Net;
using InverseLearning.Training.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;

namespace InverseLearning.Training.Tests.Cluster;

/// <summary>Which of the gateways --cluster named a client leaves out, as the cluster's membership reads.</summary>
public sealed class MembershipGatewayListTests
{
    private static readonly IPEndPoint First = new(IPAddress.Loopback, 30000), Second = new(IPAddress.Loopback, 30001), Third = new(IPAddress.Loopback, 30002);

    private static MembershipGatewayList Gateways(params IPEndPoint[] configured) => new(configured, new ServiceCollection().BuildServiceProvider(), report: null);

    // As the client asks for them: the gateways kept, by port.
    private static async Task<int[]> Kept(MembershipGatewayList gateways) =>
        [.. (await gateways.GetGateways().WaitAsync(TimeSpan.FromSeconds(30))).Select(uri => uri.Port).Order()];

    // A silo listed with the gateway at `gateway`, its silo port 1000 below it.
    private static MembershipEntry Silo(IPEndPoint gateway, SiloStatus status, int generation = 1) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(gateway.Address, gateway.Port - 1000), generation),
        ProxyPort = gateway.Port,
        Status = status,
    };

    [Fact]
    public void A_gateway_whose_silo_is_dead_or_stopping_is_left_out()
    {
        var leftOut = Gateways(First, Second, Third).LeftOut([Silo(First, SiloStatus.Active), Silo(Second, SiloStatus.Dead), Silo(Third, SiloStatus.ShuttingDown)]);

        Assert.Equal([Second, Third], leftOut.OrderBy(g => g.Port));
    }

    [Fact]
    public void A_gateway_of_a_silo_restarted_on_the_same_ports_or_not_listed_is_kept()
    {
        var leftOut = Gateways(First, Second, Third).LeftOut([Silo(First, SiloStatus.Active), Silo(Second, SiloStatus.Dead, generation: 1), Silo(Second, SiloStatus.Joining, generation: 2)]);

        Assert.Empty(leftOut);
    }

    [Fact]
    public void Every_gateway_is_kept_when_all_are_declared_dead_or_the_membership_was_not_read()
    {
        var gateways = Gateways(First, Second);

        Assert.Empty(gateways.LeftOut([Silo(First, SiloStatus.Dead), Silo(Second, SiloStatus.Dead)]));
        Assert.Empty(gateways.LeftOut(null));
    }

    [Fact]
    public async Task A_gateway_declared_dead_is_left_out_from_the_next_list_told_once_and_taken_back_once_its_silo_is_active()
    {
        var (factory, membership) = ScriptedMembership.Create();
        var told = new List<string>();
        var gateways = new MembershipGatewayList([First, Second], new ServiceCollection().AddSingleton(factory).BuildServiceProvider(), told.Add);
        membership.Answer = _ => Task.FromResult<MembershipEntry[]>([Silo(First, SiloStatus.Active), Silo(Second, SiloStatus.Dead)]);

        // The client's start: nothing can be read through it yet.
        Assert.Equal([First.Port, Second.Port], await Kept(gateways));
        Assert.Equal(0, membership.Reads);
        Assert.Equal([First.Port], await Kept(gateways));
        Assert.Equal([First.Port], await Kept(gateways));
        Assert.Equal([$"cluster: gateway {Second} left out: the cluster declared its silo dead (paused, or stopped); calls go through the other gateways"], told);

        membership.Answer = _ => Task.FromResult<MembershipEntry[]>([Silo(First, SiloStatus.Active), Silo(Second, SiloStatus.Active, generation: 2)]);
        Assert.Equal([First.Port, Second.Port], await Kept(gateways));
        Assert.Equal($"cluster: gateway {Second} taken back: its silo is no longer declared dead", told[^1]);
        Assert.Equal(2, told.Count);
    }

    [Fact]
    public async Task A_membership_no_read_answers_takes_every_gateway_back_after_5_s_saying_so()
    {
        var (factory, membership) = ScriptedMembership.Create();
        var told = new List<string>();
        var gateways = new MembershipGatewayList([First, Second, Third], new ServiceCollection().AddSingleton(factory).BuildServiceProvider(), told.Add);
        membership.Answer = _ => Task.FromResult<MembershipEntry[]>([Silo(First, SiloStatus.Active), Silo(Second, SiloStatus.Dead), Silo(Third, SiloStatus.Active)]);
        await Kept(gateways);
        Assert.Equal([First.Port, Third.Port], await Kept(gateways));

        // As through a paused silo's gateway: no answer, ever.
        membership.Answer = _ => new TaskCompletionSource<MembershipEntry[]>().Task;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal([First.Port, Second.Port, Third.Port], await Kept(gateways));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(20));
        Assert.Equal($"cluster: gateway {Second} taken back: the cluster's membership could not be read within 5 s", told[^1]);
    }

    [Fact]
    public async Task A_read_that_fails_gives_way_to_one_that_answers_and_when_all_fail_every_gateway_is_kept()
    {
        var (factory, membership) = ScriptedMembership.Create();
        var gateways = new MembershipGatewayList([First, Second], new ServiceCollection().AddSingleton(factory).BuildServiceProvider(), report: null);
        await Kept(gateways);
        membership.Answer = key => key == 0 ? Task.FromException<MembershipEntry[]>(new TimeoutException("through the paused silo"))
            : Task.FromResult<MembershipEntry[]>([Silo(First, SiloStatus.Dead), Silo(Second, SiloStatus.Active)]);
        Assert.Equal([Second.Port], await Kept(gateways));

        membership.Answer = _ => Task.FromException<MembershipEntry[]>(new TimeoutException("through the paused silo"));
        Assert.Equal([First.Port, Second.Port], await Kept(gateways));
    }
}
