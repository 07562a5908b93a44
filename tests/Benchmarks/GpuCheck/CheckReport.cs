using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using InverseLearning.Data;

namespace InverseLearning.Benchmarks.GpuCheck;

/// <summary>
/// gpu-check.json: one object with the run's header and one entry per step. The file is
/// rewritten (to a temporary name, then moved over) whenever an entry changes, so a check
/// killed by its global timeout still leaves every finished step and a readable file.
/// </summary>
internal sealed class CheckReport(string path)
{
    // Relaxed escaping keeps "×" and "≤" in the summaries readable; the file is read, never embedded in HTML.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly JsonObject _root = [];
    private readonly Lock _lock = new();

    public string Path => path;

    /// <summary>Sets <paramref name="key"/> (replacing what it held) and rewrites the file.</summary>
    public void Set(string key, JsonNode? value)
    {
        lock (_lock)
        {
            _root[key] = value;
            AtomicFile.WriteAllText(path, _root.ToJsonString(Indented));
        }
    }

    /// <summary>A copy of what the file holds now.</summary>
    public JsonObject Snapshot()
    {
        lock (_lock) return (JsonObject)_root.DeepClone();
    }
}

/// <summary>
/// One step's entry, filled as the step goes (each run's figures as soon as they are in) and
/// saved with every change. A step past its time limit is detached: its entry keeps what it
/// had with the error, and the work left running in the background writes nowhere.
/// </summary>
internal sealed class StepEntry(CheckReport report, string name)
{
    private readonly JsonObject _entry = [];
    private readonly Lock _lock = new();
    private bool _detached;

    public void Put(string key, JsonNode? value)
    {
        lock (_lock)
        {
            if (_detached) return;
            _entry[key] = value;
            report.Set(name, _entry.DeepClone());
        }
    }

    /// <summary>Ends the entry with <paramref name="key"/> = <paramref name="value"/> (its result, or the error); later puts are dropped.</summary>
    public void Close(string key, JsonNode? value)
    {
        lock (_lock)
        {
            if (_detached) return;
            _entry[key] = value;
            _detached = true;
            report.Set(name, _entry.DeepClone());
        }
    }
}
