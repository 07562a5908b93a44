using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Benchmarks.Serving;

/// <summary>
/// The bench model's requests scored straight through one ORT session (one intra-op thread), no gRPC: each
/// <see cref="RunOnce"/> scores the next <c>requestsPerRun</c> requests (users and candidate lists cycled) as one run,
/// fetching <c>outputs</c>. With a <c>profilePrefix</c>, ORT profiles every run into the trace <see cref="EndProfiling"/> names.
/// </summary>
public sealed class RawOrtRuns : IDisposable
{
    private readonly BenchModel _model;
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly int _requestsPerRun, _candidates;
    private readonly string[] _outputs;
    private readonly long[] _users, _items;
    private int _next;

    public RawOrtRuns(BenchModel model, int requestsPerRun, int candidates, string[] outputs, string? profilePrefix = null)
    {
        _model = model;
        (_requestsPerRun, _candidates, _outputs) = (requestsPerRun, candidates, outputs);
        _options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (profilePrefix is not null)
        {
            _options.ProfileOutputPathPrefix = profilePrefix; // before EnableProfiling, which starts the profile under the prefix set then
            _options.EnableProfiling = true;
        }
        _session = new InferenceSession(model.Path, _options);
        Rows = requestsPerRun * candidates;
        (_users, _items) = (new long[Rows], new long[Rows]);
    }

    /// <summary>Rows per run.</summary>
    public int Rows { get; }

    public void RunOnce()
    {
        for (var r = 0; r < _requestsPerRun; r++, _next++)
        {
            _users.AsSpan(r * _candidates, _candidates).Fill(_model.UserIds[_next % _model.UserIds.Length]);
            _model.Requests[_next % _model.Requests.Length].CopyTo(_items, r * _candidates);
        }
        using var userInput = OrtValue.CreateTensorValueFromMemory(_users, [Rows]);
        using var itemInput = OrtValue.CreateTensorValueFromMemory(_items, [Rows]);
        using var outputs = _session.Run(_runOptions, ["user_id", "item_id"], [userInput, itemInput], _outputs);
    }

    /// <summary>Ends the profile; the path of its trace (ORT's JSON array of events).</summary>
    public string EndProfiling() => _session.EndProfiling();

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
        _options.Dispose();
    }
}
