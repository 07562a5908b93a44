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
}
