using System.Runtime.InteropServices;

namespace InverseLearning.Serving.Operations;

/// <summary>
/// Gives the C heap's free pages back to the OS. A model's session (ONNX Runtime's graph, its weights and arenas) lives in native
/// memory: a reload frees the old one into glibc's arenas, which keep the pages, and no managed collection reaches them, so a
/// server republished often grew by each big model it had served (198 MB at rest after a 45 MB model's load, 693 MB after 60
/// reloads of it). glibc's <c>malloc_trim(0)</c> returns every arena's free pages. Elsewhere (musl, macOS, Windows) it does nothing.
/// </summary>
public static partial class NativeHeap
{
    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>Returns the free pages; true when glibc gave any back, false when none were free or there is no glibc.</summary>
    public static bool Trim()
    {
        if (_unavailable) return false;
        try
        {
            return MallocTrim(0) != 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true; // a C library without malloc_trim: asked once
            return false;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
