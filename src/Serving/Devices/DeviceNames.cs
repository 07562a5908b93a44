namespace InverseLearning.Serving.Devices;

/// <summary>The devices a model runs on, as the trainer's and the server's --device take them.</summary>
public static class DeviceNames
{
    public static readonly IReadOnlyList<string> All = ["cpu", "cuda"];

    /// <summary>
    /// "; did you mean cuda?" for a near miss of a device's name, and for gpu, the word most users type for CUDA's device: a slip
    /// away from cpu, which it never means.
    /// </summary>
    public static string DidYouMean(string given) =>
        given.Equals("gpu", StringComparison.OrdinalIgnoreCase) ? "; did you mean cuda?" : Spelling.DidYouMean(given, All);
}
