using Google.Protobuf;
using InverseLearning.Serving.Models;
using InverseLearning.Serving.Models.Contract;
using InverseLearning.Serving.Models.Loading;
using InverseLearning.Serving.Scoring;

namespace InverseLearning.Serving.Tests;

public sealed class ModelLoadTests : IDisposable
{
    private static readonly GmfModelFixture Model = GmfModelFixture.Random(users: 4, items: 10, dim: 3, seed: 7, version: "v1");
    private readonly string _folder = Directory.CreateTempSubdirectory("serving-load-").FullName;
    private readonly RankingOptions _options = new();

    internal sealed class NoBatches : IBatchObserver
    {
        public void BatchRan(int rows, int requests)
        {
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_good_model_loads_with_its_catalogue_info_and_seen_items()
    {
        var path = Model.WriteModel(_folder);
        await GmfModelFixture.WriteSeenAsync(_folder, [(Model.UserIds[0], Model.ItemIds[1]), (Model.UserIds[0], Model.ItemIds[2])]);

        var model = await ModelLoader.LoadAsync(path, _options, new NoBatches());

        Assert.Equal(Model.ItemIds, model.Catalog);
        Assert.Equal("v1", model.Version);
        Assert.Equal(2, model.Seen!.Rows);
        Assert.Equal([Model.ItemIds[1], Model.ItemIds[2]], model.Seen.For(Model.UserIds[0]).ToArray().Order());
        Assert.True(model.Seen.For(Model.UserIds[1]).IsEmpty);
        model.Release();
        await model.Released;
    }

    [Theory]
    [InlineData("export-a", "export-b")]
    [InlineData("export-a", null)]   // a seen list from before the stamp, or not written by export, beside a stamped model
    [InlineData(null, "export-b")]
    public async Task A_seen_list_another_export_wrote_is_refused_naming_both_files(string? modelStamp, string? seenStamp)
    {
        var path = Model.WriteModel(_folder, exportStamp: modelStamp);
        await GmfModelFixture.WriteSeenAsync(_folder, [(Model.UserIds[0], Model.ItemIds[1])], seenStamp);

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => ModelLoader.LoadAsync(path, _options, new NoBatches()));

        Assert.Equal($"{Path.Combine(_folder, "seen.parquet")}: the seen-items log was exported with another model than {path} (its export stamp is {seenStamp ?? "none"}, "
            + $"the model's {modelStamp ?? "none"}); serve the seen.parquet exported with the model", error.Message);
    }

    [Fact]
    public async Task A_model_with_two_export_stamps_is_refused_as_ambiguous()
    {
        // ONNX Runtime's metadata map kept the last entry: the model was judged by one stamp of the two.
        var model = Onnx.ModelProto.Parser.ParseFrom(Model.ToModelBytes(exportStamp: "export-b"));
        model.MetadataProps.Insert(0, new Onnx.StringStringEntryProto { Key = ExportStamp.Key, Value = "export-a" });
        var path = Path.Combine(_folder, "model.onnx");
        await File.WriteAllBytesAsync(path, model.ToByteArray());
        await GmfModelFixture.WriteSeenAsync(_folder, [(Model.UserIds[0], Model.ItemIds[1])], "export-b");

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => ModelLoader.LoadAsync(path, _options, new NoBatches()));

        Assert.Equal($"{path}: holds 2 'inverselearning.export' entries in its metadata_props, where an export writes one; which export the model is cannot be told", error.Message);
    }

    [Theory]
    [InlineData("model")]
    [InlineData("seen")]
    public async Task An_export_stamp_far_longer_than_an_exports_is_refused_without_being_shown(string where)
    {
        // A 2 MB stamp was a refusal (a mismatch) of 2 MB in one log line.
        var huge = new string('x', 2_000_000);
        var path = Model.WriteModel(_folder, exportStamp: where == "model" ? huge : "export-a");
        await GmfModelFixture.WriteSeenAsync(_folder, [(Model.UserIds[0], Model.ItemIds[1])], where == "seen" ? huge : "export-a");

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => ModelLoader.LoadAsync(path, _options, new NoBatches()));

        var file = where == "model" ? path : Path.Combine(_folder, "seen.parquet");
        Assert.Equal($"{file}: its export stamp ('inverselearning.export') is 2,000,000 characters, where an export writes 32 (at most 64 are taken); not an export's file", error.Message);
    }

    [Fact]
    public async Task A_seen_list_with_its_models_export_stamp_loads()
    {
        var path = Model.WriteModel(_folder, exportStamp: "export-a");
        await GmfModelFixture.WriteSeenAsync(_folder, [(Model.UserIds[0], Model.ItemIds[1])], "export-a");

        var model = await ModelLoader.LoadAsync(path, _options, new NoBatches());

        Assert.Equal(1, model.Seen!.Rows);
        model.Release();
        await model.Released;
    }

    [Fact]
    public async Task A_model_without_a_version_is_known_by_when_it_was_made()
    {
        var unversioned = GmfModelFixture.Random(users: 4, items: 6, dim: 2, seed: 3, version: "");

        var model = await ModelLoader.LoadAsync(unversioned.WriteModel(_folder), _options, new NoBatches());

        Assert.Equal(unversioned.Metadata()["created_at"], model.Version);
        model.Release();
        await model.Released;
    }

    [Fact]
    public async Task A_versions_file_of_another_length_than_its_manifest_lists_is_refused_without_reading_it()
    {
        var repository = Path.Combine(_folder, "repo");
        Model.Publish(repository, [(Model.UserIds[0], Model.ItemIds[1])]);
        var seen = Path.Combine(repository, "1", "seen.parquet");
        var listed = new FileInfo(seen).Length;
        // A terabyte, sparse: read whole first, as it was before its length was checked, it could not even be held.
        using (var huge = new FileStream(seen, FileMode.Truncate)) huge.SetLength(1L << 40);

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => ModelLoader.LoadAsync(Models.Repository.ModelLocation.ForVersion(repository, 1), _options, new NoBatches()));

        Assert.Equal($"{seen}: is {1L << 40:N0} bytes, but the manifest says {listed:N0} bytes; not read", error.Message);
    }

    [Theory]
    [InlineData("named-pipe")]      // opened, it would wait for a writer for ever
    [InlineData("link-to-device")]  // /dev/zero: read, it never ends; the link's own length is its target's name's
    public async Task A_manifest_that_is_no_regular_file_is_refused_without_reading_it(string kind)
    {
        var repository = Path.Combine(_folder, "repo");
        Model.Publish(repository, []);
        var manifest = Path.Combine(repository, "1", "manifest.json");
        File.Delete(manifest);
        if (kind == "named-pipe") NamedPipe.Create(manifest);
        else File.CreateSymbolicLink(manifest, "/dev/zero");

        var error = await Assert.ThrowsAsync<ModelLoadException>(() =>
            Task.Run(() => ModelLoader.LoadAsync(Models.Repository.ModelLocation.ForVersion(repository, 1), _options, new NoBatches())).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal($"{manifest}: is empty, or not a regular file (a named pipe or a device); expected the bundle's manifest (manifest.json)", error.Message);
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "missing", "model file not found" },
        { "empty", "is empty, or not a regular file (a named pipe or a device); expected the model file (model.onnx)" },
        { "named-pipe", "is empty, or not a regular file (a named pipe or a device); expected the model file (model.onnx)" },    // opened, it would wait for a writer for ever
        { "link-to-named-pipe", "is empty, or not a regular file (a named pipe or a device); expected the model file (model.onnx)" }, // the link's own length is its target's name's
        { "seen-link-to-named-pipe", "is empty, or not a regular file (a named pipe or a device); expected the seen-items log (seen.parquet)" },
        { "seen-link-to-device", "is empty, or not a regular file (a named pipe or a device); expected the seen-items log (seen.parquet)" },  // /dev/zero: read, it never ends
        { "seen-link-to-nothing", "seen.parquet: is a link to " },  // it was served with no seen list, without a word
        { "garbage", "not a loadable ONNX model" },
        { "no-score", "output 'score' is missing" },
        { "no-catalog", "output 'catalog' is missing" },
        { "empty-catalog", "the catalogue is empty; the model knows no items to rank" },
        { "duplicate-catalog", "the catalogue lists item 50000 more than once; Recommend would rank it twice" },
        { "bad-seen", "column 'item_id' is missing" },
        { "seen-damaged-footer", "cannot read the seen-items log (its footer is not one whole metadata record)" },
        { "seen-folder", "is a folder, expected the seen-items log (seen.parquet)" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_is_refused_with_one_clear_message_naming_it(string kind, string reason)
    {
        var path = Path.Combine(_folder, "model.onnx");
        switch (kind)
        {
            case "garbage": File.WriteAllText(path, "this is not a model"); break;
            case "empty": File.WriteAllBytes(path, []); break;
            case "named-pipe": NamedPipe.Create(path); break;
            case "link-to-named-pipe":
                NamedPipe.Create(Path.Combine(_folder, "pipe"));
                File.CreateSymbolicLink(path, "pipe");
                break;
            case "seen-link-to-named-pipe":
                Model.WriteModel(_folder);
                NamedPipe.Create(Path.Combine(_folder, "pipe"));
                File.CreateSymbolicLink(Path.Combine(_folder, "seen.parquet"), "pipe");
                break;
            case "seen-link-to-device":
                Model.WriteModel(_folder);
                File.CreateSymbolicLink(Path.Combine(_folder, "seen.parquet"), "/dev/zero");
                break;
            case "seen-link-to-nothing":
                Model.WriteModel(_folder);
                File.CreateSymbolicLink(Path.Combine(_folder, "seen.parquet"), "gone.parquet");
                break;
            case "no-score": Model.WriteModel(_folder, dropOutput: "score"); break;
            case "no-catalog": Model.WriteModel(_folder, dropOutput: "catalog"); break;
            case "empty-catalog": Model.WriteModel(_folder, catalog: []); break;
            // The last id replaced by the first: as many ids as the metadata says, one of them twice. Recommend listed that item twice.
            case "duplicate-catalog": Model.WriteModel(_folder, catalog: [.. Model.ItemIds[..^1], Model.ItemIds[0]]); break;
            case "bad-seen":
                Model.WriteModel(_folder);
                await WriteParquetWithOnlyUsersAsync(Path.Combine(_folder, "seen.parquet"));
                break;
            case "seen-damaged-footer":
                Model.WriteModel(_folder);
                await GmfModelFixture.WriteSeenAsync(_folder, [(Model.UserIds[0], Model.ItemIds[1])]);
                var seen = await File.ReadAllBytesAsync(Path.Combine(_folder, "seen.parquet"));
                seen[^9] ^= 1; // the metadata's last byte: Parquet.Net would read past it and never return
                await File.WriteAllBytesAsync(Path.Combine(_folder, "seen.parquet"), seen);
                break;
            case "seen-folder":
                Model.WriteModel(_folder);
                Directory.CreateDirectory(Path.Combine(_folder, "seen.parquet"));
                break;
        }

        // On a thread of its own with a limit: a named pipe opened for reading would block the test for ever, not fail it.
        var error = await Assert.ThrowsAsync<ModelLoadException>(() => Task.Run(() => ModelLoader.LoadAsync(path, _options, new NoBatches())).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains(reason, error.Message);
        Assert.Contains(kind.StartsWith("seen") || kind == "bad-seen" ? Path.Combine(_folder, "seen.parquet") : path, error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    private static async Task WriteParquetWithOnlyUsersAsync(string path)
    {
        var field = new Parquet.Schema.DataField<long>("user_id");
        await using var stream = File.Create(path);
        await using var writer = await Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(field), stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(field, new ReadOnlyMemory<long>([1, 2]));
    }
}
