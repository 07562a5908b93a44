using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Runtime;

/// <summary>The host store's working set is host arrays; tests read them directly.</summary>
internal static class HostArrays
{
    public static float[] Host(this TensorMemory memory) => ((HostMemory)memory).Array;
}
