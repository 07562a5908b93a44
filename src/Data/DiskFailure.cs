namespace InverseLearning.Data;

/// <summary>
/// What a failed write of a file says to the user about the disk (full, over quota, gone): .NET's words for the failure without the
/// path they end with (<c>No space left on device : '/dir/.model.onnx.inverselearning-…tmp'</c>), a hidden temporary or staging
/// file the user never named, so that the message can name the file or folder the user did. Internal, and compiled into each
/// program that writes into a folder it was given (the trainer, the serving host's repository) from this one file.
/// </summary>
internal static class DiskFailure
{
    /// <summary>The reason the innermost <see cref="IOException"/> of <paramref name="failure"/> gives, without its path and final full stop.</summary>
    public static string Reason(IOException failure)
    {
        while (failure.InnerException is IOException inner) failure = inner;
        var at = failure.Message.IndexOf(" : '", StringComparison.Ordinal);
        return (at > 0 ? failure.Message[..at] : failure.Message).TrimEnd('.');
    }

    /// <summary>
    /// Whether <paramref name="failure"/> is the disk's being full or over quota: its innermost <see cref="IOException"/> carries the
    /// system's error (ENOSPC, EDQUOT on Linux; ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL on Windows) as its HResult.
    /// </summary>
    public static bool IsFull(IOException failure)
    {
        while (failure.InnerException is IOException inner) failure = inner;
        return failure.HResult is 28 or 122 or unchecked((int)0x80070070) or unchecked((int)0x80070027);
    }
}
