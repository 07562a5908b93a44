using System.Runtime.InteropServices;

namespace InverseLearning.Serving.Tests;

/// <summary>A POSIX named pipe (FIFO), which .NET cannot make: a file whose opening for reading waits for a writer.</summary>
public static class NamedPipe
{
    public static void Create(string path)
    {
        if (MakeFifo(path, Convert.ToUInt32("600", 8)) != 0) throw new IOException($"mkfifo {path} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
}
