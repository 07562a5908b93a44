using System.Text;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Artifacts;

/// <summary>A checkpoint with any byte flipped, or cut short, is refused with one clear message; an intact one loads exactly.</summary>
[Collection("Console")]
public sealed class CheckpointChecksumTests : IDisposable
{
    private readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "il-ckpt-" + Guid.NewGuid().ToString("N"))).FullName;
    private string PathOf(string name) => Path.Combine(_folder, name);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static HostParameterStore Store(int seed) => new(new Gmf(4), userRows: 5, itemRows: 7, stateSlots: 2, seed) { Step = 9 };

    private string Saved()
    {
        var path = PathOf("checkpoint");
        var store = Store(seed: 1);
        foreach (var p in store.All) for (var s = 0; s < p.State.Length; s++) Array.Fill(p.State[s], s + 0.5f);
        Checkpoint.Save(path, store, new RunState(new TrainSettings(), EpochsDone: 2, Iterations: 30, BestValue: 0.5, BestEpoch: 1, PhaseIndex: 0, PhaseEpochsDone: 2, PhaseIterations: 30, Data: new DataFingerprint(1, 1, 1, 1, 1, 0)));
        return path;
    }

    /// <summary>Where the payload starts: magic, header length, header, header checksum.</summary>
    private static int PayloadStart(byte[] bytes) => 12 + BitConverter.ToInt32(bytes, 8) + 4;

    [Fact]
    public void An_intact_checkpoint_loads_every_value_and_state()
    {
        var path = Saved();
        var original = Store(seed: 1);
        var loaded = Store(seed: 2);
        Checkpoint.Load(path, loaded);
        var expected = Store(seed: 1).All.Select(p => p.Values).ToList();
        Assert.Equal(expected, loaded.All.Select(p => p.Values).ToList());
        Assert.All(loaded.All, p => Assert.Equal(Enumerable.Repeat(1.5f, p.Values.Length), p.State[1]));
        Assert.Equal(9, loaded.Step);
        Assert.NotEqual(original.All.First().Values, Store(seed: 2).All.First().Values);
    }

    [Fact]
    public void A_flipped_byte_in_the_header_is_refused_when_the_header_is_read()
    {
        var path = Saved();
        var bytes = File.ReadAllBytes(path);
        var json = Encoding.UTF8.GetString(bytes, 12, BitConverter.ToInt32(bytes, 8));
        // "epochs_done":2 → 3: still valid JSON, so only the checksum can tell.
        var at = 12 + Encoding.UTF8.GetByteCount(json[..(json.IndexOf("\"epochs_done\":2", StringComparison.Ordinal) + 14)]);
        bytes[at] = (byte)'3';
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.ReadHeader(path));
        Assert.Contains("checksum of its header does not match", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(57)]
    [InlineData(-5)]   // the last value byte before the payload's checksum
    public void A_flipped_byte_in_the_payload_is_refused_on_load(int offset)
    {
        var path = Saved();
        var bytes = File.ReadAllBytes(path);
        var at = offset >= 0 ? PayloadStart(bytes) + offset : bytes.Length + offset;
        bytes[at] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        Assert.Equal(2, Checkpoint.ReadHeader(path).Run.EpochsDone);
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path, Store(seed: 2)));
        Assert.Contains("checksum of its parameters does not match", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData(2, "the checksum of its parameters is missing")]
    [InlineData(40, "truncated inside parameter")]
    public void A_truncated_checkpoint_is_refused(int cut, string expected)
    {
        var path = Saved();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^cut]);
        Assert.Contains(expected, Assert.Throws<CheckpointException>(() => Checkpoint.Load(path, Store(seed: 2))).Message);
    }

    [Fact]
    public void A_header_cut_before_its_checksum_is_refused()
    {
        var path = Saved();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(PayloadStart(bytes) - 2)]);
        Assert.Contains("truncated", Assert.Throws<CheckpointException>(() => Checkpoint.ReadHeader(path)).Message);
    }

    [Fact]
    public void A_header_length_no_header_has_is_refused_before_the_header_is_allocated()
    {
        var path = Saved();
        using (var file = new FileStream(path, FileMode.Open))
        {
            file.Position = 8;
            file.Write(BitConverter.GetBytes(400_000_000));
            file.SetLength(1L << 30); // sparse: the length fits the file, and only its size is absurd
        }

        var error = Assert.Throws<CheckpointException>(() => Checkpoint.ReadHeader(path));

        Assert.Contains("its header claims 400,000,000 bytes, more than any checkpoint's header (256 MiB): the file is damaged", error.Message);
    }

    /// <summary>
    /// A run on a lake of 100,000 parts records each (its path, rows and stamp) and the lake's listing: a header of some 32 MB, which
    /// a limit of 16 MiB refused, as damaged, when eval or --resume read it.
    /// </summary>
    [Fact]
    public void A_checkpoint_of_a_run_on_a_lake_of_100_000_parts_is_read_back()
    {
        var paths = Enumerable.Range(0, 100_000).Select(p => $"day=2024-01-{p % 28 + 1:00}/hour={p % 24:00}/part-{p:00000}-3f2a9c1e-7b4d-4e8a-9f1c-2d3e4f5a6b7c-c000.snappy.parquet").ToList();
        var stamp = new InverseLearning.Data.PartStamp(123_456_789, new string('a', 64));
        var path = PathOf("lake.checkpoint");
        Checkpoint.Save(path, Store(seed: 1), new RunState(new TrainSettings(), EpochsDone: 2, Iterations: 30, BestValue: 0.5, BestEpoch: 1, PhaseIndex: 0, PhaseEpochsDone: 2,
            PhaseIterations: 30, Data: new DataFingerprint(1, 1, 1, 1, 1, 0), LakeParts: [.. paths.Select(p => new InverseLearning.Data.ReadPart(p, 1_000_000, stamp))], LakeListing: paths));

        var run = Checkpoint.ReadHeader(path).Run;

        Assert.Equal(paths, run.LakeListing);
        Assert.Equal(paths[^1], run.LakeParts![^1].Path);
    }

    [Theory]
    [InlineData(0, float.NaN, " holds NaN at 3")]
    [InlineData(1, float.PositiveInfinity, "'s optimizer state 1 holds Infinity at 3")]
    public void A_non_finite_value_with_intact_checksums_is_refused_naming_the_parameter(int slot, float value, string expected)
    {
        var path = PathOf("non-finite");
        var store = Store(seed: 1);
        var damaged = store.All.First();
        (slot == 0 ? damaged.Values : damaged.State[slot - 1])[3] = value;
        Checkpoint.Save(path, store, new RunState(new TrainSettings(), EpochsDone: 2, Iterations: 30, BestValue: 0.5, BestEpoch: 1, PhaseIndex: 0, PhaseEpochsDone: 2, PhaseIterations: 30, Data: new DataFingerprint(1, 1, 1, 1, 1, 0)));

        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path, Store(seed: 2)));

        Assert.Contains($"{store.Parameters[0].Name}{expected}, expected finite numbers: the checkpoint is damaged", error.Message);
    }

    [Fact]
    public void A_named_pipe_is_refused_before_it_is_opened()
    {
        var path = PathOf("checkpoint.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path])!) mkfifo.WaitForExit();

        Assert.Contains("is empty, or not a regular file (a named pipe or a device); expected a checkpoint file", Assert.Throws<CheckpointException>(() => Checkpoint.ReadHeader(path)).Message);
    }

    [Fact]
    public async Task A_link_to_a_named_pipe_is_refused_before_it_is_opened()
    {
        var pipe = PathOf("checkpoint.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [pipe])!) mkfifo.WaitForExit();
        var link = PathOf("checkpoint.link");
        File.CreateSymbolicLink(link, pipe);

        // On a thread of its own with a limit: opening the pipe would block the test for ever, not fail it.
        var error = await Assert.ThrowsAsync<CheckpointException>(() => Task.Run(() => Checkpoint.ReadHeader(link)).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains("is empty, or not a regular file (a named pipe or a device); expected a checkpoint file", error.Message);
    }

    [Fact]
    public void A_pipe_with_a_writer_is_refused_not_read_without_its_length()
    {
        var path = Saved();
        using var cat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("cat", [path]) { RedirectStandardOutput = true })!;
        // The reading end of cat's output, as /dev/fd/N of `<(cat checkpoint)` is to the command it is given to.
        var pipe = $"/proc/{Environment.ProcessId}/fd/{((System.IO.Pipes.PipeStream)cat.StandardOutput.BaseStream).SafePipeHandle.DangerousGetHandle()}";

        var error = Assert.Throws<CheckpointException>(() => Checkpoint.ReadHeader(pipe));

        Assert.Contains("it is not a regular file (a pipe?)", error.Message);
    }

    /// <summary>A header rewritten with its checksum redone (a forgery, or damage before the checksum was taken): where it is wrong, not the serializer's words.</summary>
    [Theory]
    [InlineData("\"epochs_done\":2", "\"epochs_done\":\"two\"", "its header holds no valid value at $.run.epochs_done.")]
    [InlineData("{", "[", "its header is not valid JSON.")]
    public void A_header_with_its_checksum_redone_is_refused_saying_where(string from, string to, string expected)
    {
        var path = Saved();
        var bytes = File.ReadAllBytes(path);
        var length = BitConverter.ToInt32(bytes, 8);
        var json = Encoding.UTF8.GetString(bytes, 12, length);
        Assert.Contains(from, json);
        var forged = Encoding.UTF8.GetBytes(ReplaceFirst(json, from, to));
        byte[] rewritten = [.. bytes[..8], .. BitConverter.GetBytes(forged.Length), .. forged, .. BitConverter.GetBytes(Crc32Of([.. bytes[..8], .. BitConverter.GetBytes(forged.Length), .. forged])), .. bytes[(12 + length + 4)..]];
        File.WriteAllBytes(path, rewritten);

        var error = Assert.Throws<CheckpointException>(() => Checkpoint.ReadHeader(path));

        Assert.Equal($"{path}: cannot use this checkpoint: {expected}", error.Message);
    }

    [Fact]
    public void Settings_a_checkpoint_holds_that_no_run_could_have_are_the_checkpoints_fault_not_a_flags()
    {
        var path = Saved();
        var bytes = File.ReadAllBytes(path);
        var length = BitConverter.ToInt32(bytes, 8);
        var json = System.Text.RegularExpressions.Regex.Replace(Encoding.UTF8.GetString(bytes, 12, length), "\"dim\":\\d+", "\"dim\":-5");
        var forged = Encoding.UTF8.GetBytes(json);
        byte[] head = [.. bytes[..8], .. BitConverter.GetBytes(forged.Length), .. forged];
        File.WriteAllBytes(path, [.. head, .. BitConverter.GetBytes(Crc32Of(head)), .. bytes[(12 + length + 4)..]]);

        var (code, _, error) = InverseLearning.Training.Tests.Cli.CliRunner.Run("eval", "--checkpoint", path, "--data", PathOf("no-log.parquet"));

        Assert.Equal(1, code);
        Assert.Contains($"{path}: cannot use this checkpoint: the settings it holds are not valid for this build (--dim must be", error);
    }

    private static string ReplaceFirst(string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        return text[..at] + to + text[(at + from.Length)..];
    }

    // The header's checksum covers the magic, its length and the header itself (as ChecksummedStream reads them).
    private static uint Crc32Of(byte[] bytes) => Crc32.Of(bytes);

    [Fact]
    public void Bytes_after_the_checksum_are_refused()
    {
        var path = Saved();
        File.AppendAllText(path, "x");
        Assert.Contains("bytes after its checksum", Assert.Throws<CheckpointException>(() => Checkpoint.Load(path, Store(seed: 2))).Message);
    }

    [Fact]
    public void A_checkpoint_of_the_format_without_checksums_says_so()
    {
        var path = Saved();
        var bytes = File.ReadAllBytes(path);
        "ILCKPT01"u8.CopyTo(bytes);
        File.WriteAllBytes(path, bytes);
        Assert.Contains("format ILCKPT01", Assert.Throws<CheckpointException>(() => Checkpoint.ReadHeader(path)).Message);
    }

    [Fact]
    public void A_folder_is_not_a_checkpoint()
    {
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.ReadHeader(_folder));
        Assert.Contains("cannot use this checkpoint: is a folder, expected a checkpoint file", error.Message);
    }
}
