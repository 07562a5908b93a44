using System.CommandLine;
using System.Globalization;

namespace InverseLearning.Training.Cli;

/// <summary>
/// --eval labeled|full-ranking and --topk K,K,…: whether runs also rank the whole catalogue
/// for each test user (DenoisingRec's protocol) beside the labeled-row metrics, and at which K.
/// </summary>
public sealed class RankingEvalOptions
{
    public const string Labeled = "labeled", FullRanking = "full-ranking";
    public static readonly int[] DefaultTopK = [20, 50, 100];

    public Option<string> Eval { get; } = EvalOption();
    public Option<string> TopK { get; } = new("--topk")
    { Description = "full ranking: the cut-offs K of Recall@K and NDCG@K, comma-separated", DefaultValueFactory = _ => string.Join(",", DefaultTopK) };

    private static Option<string> EvalOption()
    {
        var option = new Option<string>("--eval")
        {
            Description = "labeled: metrics on the labeled test rows; full-ranking: also Recall@K and NDCG@K over the whole catalogue (true positives: --test-positives)",
            DefaultValueFactory = _ => Labeled,
        };
        option.AcceptOnlyFromAmong(Labeled, FullRanking);
        return option;
    }

    public IEnumerable<Option> All => [Eval, TopK];

    /// <summary>
    /// The K list when full ranking is asked for, else null; a K that is not a positive integer is refused here, one above the catalogue
    /// once the data is known. <paramref name="resuming"/>: the run's own evaluation is the checkpoint's, decided by <see cref="ForResume"/>.
    /// </summary>
    public int[]? Read(ParseResult parse, ProtocolPreset preset, bool resuming = false)
    {
        var ks = Ks(parse, preset);
        if (preset.Value(parse, Eval) == FullRanking) return ks;
        if (parse.GetResult(TopK) is { Implicit: false } && !resuming) throw new ArgumentException("--topk needs --eval full-ranking (the labeled-row metrics have no K)");
        return null;
    }

    /// <summary>
    /// The K a resumed run reports at: --eval and --topk each as given, else as the checkpoint's run (<paramref name="saved"/>) had it,
    /// so that `--resume --topk 5` changes the K of the run's full ranking, and `--resume --eval full-ranking` keeps its K.
    /// </summary>
    public int[]? ForResume(ParseResult parse, ProtocolPreset preset, int[]? saved)
    {
        var fullRanking = parse.GetResult(Eval) is { Implicit: false } ? parse.GetValue(Eval) == FullRanking : saved is not null;
        var topKGiven = parse.GetResult(TopK) is { Implicit: false };
        if (!fullRanking)
            return topKGiven ? throw new ArgumentException("--topk needs --eval full-ranking (the labeled-row metrics have no K, and the checkpoint's run ranks no catalogue)") : null;
        return topKGiven || saved is null ? Ks(parse, preset) : saved;
    }

    // Reported in order, whatever order they were given in (duplicates are refused by the list's reading).
    private int[] Ks(ParseResult parse, ProtocolPreset preset) =>
        [.. CommaList.Parse(preset.Value(parse, TopK), "--topk", "20,50,100",
            v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) && k >= 1 ? k
                : throw new ArgumentException($"--topk: '{v}' is not a positive integer; expected e.g. 20,50,100")).Order()];
}
