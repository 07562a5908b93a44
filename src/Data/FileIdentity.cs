using System.Runtime.InteropServices;

namespace InverseLearning.Data;

/// <summary>
/// Which file a path names on its file system (device and inode, from statx(2)), for telling that two paths are one file
/// when neither is a link to the other: hard links. .NET exposes no inode, so this asks the C library; where there is no
/// statx (not Linux, or an old C library) it knows nothing, and callers compare <see cref="RealPath"/>s alone.
/// </summary>
public static class FileIdentity
{
    private const int AtCurrentDirectory = -100, StatxSize = 256;
    private const uint InodeField = 0x100; // STATX_INO
    // struct statx's layout is the same on every architecture: stx_mask at 0, stx_ino at 32, stx_dev_major and stx_dev_minor at 136 and 140.
    private const int MaskOffset = 0, InodeOffset = 32, DeviceMajorOffset = 136, DeviceMinorOffset = 140;

    /// <summary>Whether both paths name one existing file: the same place once links are resolved, or the same inode.</summary>
    public static bool Same(string first, string second) =>
        RealPath.Of(first) == RealPath.Of(second) || (Of(first) is { } identity && identity == Of(second));

    /// <summary>The file's device and inode, or null when the path names nothing or the system cannot tell.</summary>
    public static (ulong Device, ulong Inode)? Of(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var buffer = new byte[StatxSize];
        try
        {
            if (Statx(AtCurrentDirectory, path, 0, InodeField, buffer) != 0) return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        if ((BitConverter.ToUInt32(buffer, MaskOffset) & InodeField) == 0) return null; // in the kernel's byte order, as every field
        var device = ((ulong)BitConverter.ToUInt32(buffer, DeviceMajorOffset) << 32) | BitConverter.ToUInt32(buffer, DeviceMinorOffset);
        return (device, BitConverter.ToUInt64(buffer, InodeOffset));
    }

    [DllImport("libc", EntryPoint = "statx")]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
