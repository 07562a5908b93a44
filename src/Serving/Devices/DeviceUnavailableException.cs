namespace InverseLearning.Serving.Devices;

/// <summary>The requested execution provider cannot be used; the message says why and what to do.</summary>
public sealed class DeviceUnavailableException(string message) : Exception(message);
