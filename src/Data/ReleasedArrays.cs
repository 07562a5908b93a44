namespace InverseLearning.Data;

/// <summary>
/// Left to itself, the collector lets large-object garbage pile up to about the size of the
/// live heap before a full collection, so each array the data pipeline lets go of would still
/// be resident when the next one is allocated. Its heap is a few large arrays of primitives,
/// nothing to trace, so collecting at once is cheap and lets the next arrays reuse the memory.
/// </summary>
public static class ReleasedArrays
{
    public static void Collect() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);

    /// <summary>A collection that also compacts the large-object heap: freed arrays leave holes the next, differently sized ones do not fit.</summary>
    public static void Compact()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}
