using InverseLearning.Data;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Methods;

/// <summary>
/// A batch's unlabeled slots, each with <paramref name="perSlot"/> candidate items of its user, scored by the model
/// at once; one candidate is then chosen per slot to replace its item. DNS draws its candidates fresh, SRNS takes
/// them from its memory. The buffers grow to the largest batch and are reused.
/// </summary>
public sealed class SlotCandidates(int perSlot)
{
    private int[] _users = [], _items = [], _chosen = [];
    private float[] _scores = [];
    private int _slots;

    // Candidates drawn between two looks at the cancel: some milliseconds' work.
    private const int DrawChunk = 1 << 16;

    /// <summary>Takes the unlabeled slots of <paramref name="rows"/>: each slot's candidates are its user's, their items still to be set; returns the slots.</summary>
    public int Take(StepRows rows)
    {
        _slots = rows.Count - rows.LabeledCount;
        var total = _slots * perSlot;
        if (_users.Length < total)
        {
            _users = new int[total];
            _items = new int[total];
            _scores = new float[total];
            _chosen = new int[_slots];
        }
        for (var k = 0; k < _slots; k++)
            Array.Fill(_users, rows.Users[rows.LabeledCount + k], k * perSlot, perSlot);
        return _slots;
    }

    /// <summary>The candidates' users, slot by slot (<c>perSlot</c> each).</summary>
    public Span<int> Users => _users.AsSpan(0, _slots * perSlot);

    /// <summary>The candidates' items, slot by slot, for the caller to set before <see cref="Score"/>.</summary>
    public Span<int> Items => _items.AsSpan(0, _slots * perSlot);

    /// <summary>The candidates' logits, once <see cref="Score"/> has run.</summary>
    public ReadOnlySpan<float> Scores => _scores.AsSpan(0, _slots * perSlot);

    /// <summary>
    /// Draws every candidate's item from <paramref name="sampler"/>, so many slots at a time that a cancel is seen between them
    /// (the items drawn are those of one draw for all: the sampler takes its random numbers row by row).
    /// </summary>
    public void Draw(UnlabeledSampler sampler, Random rng, CancellationToken cancel)
    {
        var slotsAtOnce = Math.Max(1, DrawChunk / perSlot);
        for (var first = 0; first < _slots; first += slotsAtOnce)
        {
            cancel.ThrowIfCancellationRequested();
            var range = new Range(first * perSlot, Math.Min(_slots, first + slotsAtOnce) * perSlot);
            sampler.Sample(Users[range], 1, Items[range], rng);
        }
    }

    /// <summary>Scores every candidate with the model as it is now, seeing the run's cancel as it goes.</summary>
    public void Score(StepContext context) => context.Engine.Score(Users, Items, _scores.AsSpan(0, _slots * perSlot), context.Cancel);

    /// <summary>Picks <paramref name="item"/> for slot <paramref name="slot"/>.</summary>
    public void Choose(int slot, int item) => _chosen[slot] = item;

    /// <summary>Puts the chosen items in the unlabeled slots of <paramref name="rows"/>.</summary>
    public void Replace(StepRows rows) => rows.ReplaceUnlabeledItems(_chosen.AsSpan(0, _slots));
}
