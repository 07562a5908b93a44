using System.CommandLine;

namespace InverseLearning.Training.Cli;

/// <summary>
/// --protocol NAME: another codebase's training protocol as defaults for our flags. A flag
/// given on the command line wins over the preset; the preset wins over our defaults.
/// </summary>
public sealed class ProtocolPreset
{
    private readonly IReadOnlyDictionary<string, object> _values;

    private ProtocolPreset(string name, IReadOnlyDictionary<string, object> values)
    {
        Name = name;
        _values = values;
    }

    public string Name { get; }

    /// <summary>No preset: every flag takes its own default.</summary>
    public static readonly ProtocolPreset None = new("none", new Dictionary<string, object>());

    /// <summary>
    /// DenoisingRec's T_CE/main.py and R_CE/main.py (github.com/WenjieWWJ/DenoisingRec, commit
    /// 05bef3b): batches of 1,024 rows with positives and sampled negatives together, one
    /// negative per positive, Adam at lr 0.001, 10 epochs, 32 factors, validation every 2,000
    /// iterations keeping the checkpoint of lowest validation loss, the test a full ranking at
    /// K = 50 and 100; T-CE's drop rate 0.2 reached in 30,000 iterations; R-CE's α 0.2.
    /// </summary>
    public static readonly ProtocolPreset DenoisingRec = new("denoisingrec", new Dictionary<string, object>
    {
        ["--batch-rows"] = 1024,
        ["--ng"] = 1,
        ["--lr"] = 1e-3,
        ["--epochs"] = 10,
        ["--dim"] = 32,
        ["--select-by"] = "loss",
        ["--eval-every"] = 2000,
        ["--eval"] = RankingEvalOptions.FullRanking,
        ["--topk"] = "50,100",
        ["--" + Methods.TruncatedLoss.MaxDropRate.Flag] = 0.2,
        ["--" + Methods.TruncatedLoss.Warmup.Flag] = 30_000.0,
        ["--" + Methods.ReweightedLoss.Beta.Flag] = 0.2,
    });

    public static IReadOnlyList<ProtocolPreset> All { get; } = [None, DenoisingRec];

    /// <summary>The flags the preset sets, with their values (README's table is made from the same list).</summary>
    public IEnumerable<KeyValuePair<string, object>> Values => _values;

    public static Option<string> CreateOption()
    {
        var option = new Option<string>("--protocol")
        {
            Description = "A training protocol's defaults: none, or denoisingrec (DenoisingRec's code: 1,024-row batches counting sampled rows, lr 1e-3, 10 epochs, validation every 2,000 steps, full ranking at K 50,100, T-CE 0.2/30,000, R-CE 0.2); flags given explicitly win",
            DefaultValueFactory = _ => None.Name,
        };
        option.AcceptOnlyFromAmong([.. All.Select(p => p.Name)]);
        return option;
    }

    /// <summary>The --protocol given on the command line, else <paramref name="recorded"/> (a resumed run's), else none.</summary>
    public static ProtocolPreset Read(ParseResult parse, Option<string> option, string? recorded = null)
    {
        var name = parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : recorded ?? None.Name;
        return All.FirstOrDefault(p => p.Name == name) ?? throw new ArgumentException($"--protocol: unknown protocol '{name}', expected {string.Join(" or ", All.Select(p => p.Name))}");
    }

    /// <summary>Whether the option's value is the preset's: the preset sets it, and the command line does not.</summary>
    public bool Sets(ParseResult parse, Option option) => parse.GetResult(option) is not { Implicit: false } && _values.ContainsKey(option.Name);

    /// <summary>The option's value: as given on the command line, else the preset's, else its default.</summary>
    public T Value<T>(ParseResult parse, Option<T> option) =>
        parse.GetResult(option) is not { Implicit: false } && _values.TryGetValue(option.Name, out var preset) ? (T)preset : parse.GetValue(option)!;
}
