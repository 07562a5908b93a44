using System.Reflection;
using Orleans;
using Orleans.Runtime;

namespace InverseLearning.Training.Tests.Cluster;

/// <summary>
/// A grain factory whose management grains answer a membership read as <see cref="Answer"/> says, with no cluster: a list of
/// silos, a failure, or a read that never answers. Any other call is no part of a gateway list's work, and fails.
/// </summary>
public class ScriptedMembership : DispatchProxy
{
    /// <summary>What a read through the management grain of a key gets; by default, no silo.</summary>
    public Func<long, Task<MembershipEntry[]>> Answer { get; set; } = _ => Task.FromResult(Array.Empty<MembershipEntry>());

    /// <summary>How many membership reads were asked for.</summary>
    public int Reads => _reads;

    private int _reads;
    private long? _key;

    /// <summary>The grain factory, and the script its answers follow.</summary>
    public static (IGrainFactory Factory, ScriptedMembership Script) Create()
    {
        var factory = Create<IGrainFactory, ScriptedMembership>();
        return (factory, (ScriptedMembership)(object)factory);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (_key is null && targetMethod is { Name: nameof(IGrainFactory.GetGrain), ReturnType: var type } && type == typeof(IManagementGrain) && args is [long key, ..])
        {
            var grain = Create<IManagementGrain, ScriptedMembership>();
            ((ScriptedMembership)(object)grain)._key = key;
            ((ScriptedMembership)(object)grain).Answer = k => { Interlocked.Increment(ref _reads); return Answer(k); };
            return grain;
        }
        if (_key is { } asked && targetMethod?.Name == nameof(IManagementGrain.GetDetailedHosts)) return Answer(asked);
        throw new NotSupportedException($"{targetMethod?.Name} is not scripted");
    }
}
