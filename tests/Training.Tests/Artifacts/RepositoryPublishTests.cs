using InverseLearning.Serving.Models.Repository;
using InverseLearning.Training.Artifacts;

namespace InverseLearning.Training.Tests.Artifacts;

public sealed class RepositoryPublishTests : IDisposable
{
    private readonly string _repository = Path.Combine(Directory.CreateTempSubdirectory("repository-publish-").FullName, "repo");

    [Fact]
    public void A_full_disk_says_the_repository_needs_room_for_one_more_version_than_it_keeps()
    {
        // A volume sized for exactly --keep-versions versions: the new one is written before pruning, so every publish failed
        // "No space left on device" and pruning never ran. /dev/full fails every write with ENOSPC, as a full volume does.
        for (var i = 0; i < 2; i++)
            ModelRepository.Publish(_repository, dir => File.WriteAllBytes(Path.Combine(dir, "model.onnx"), new byte[3 << 20]), []);

        var error = Assert.Throws<IOException>(() => RepositoryPublish.Run(_repository, _ => File.WriteAllBytes("/dev/full", new byte[1]), [], keepVersions: 2));

        Assert.Equal($"{_repository}: the new version could not be written (No space left on device); the repository is left as it was; " +
                     "the repository needs room for one more version than --keep-versions 2 keeps (the new one is written before old ones are pruned), " +
                     $"3 in all, and the 2 versions there take 6 MiB: make its volume larger, or delete the oldest version ({Path.Combine(_repository, "1")}) and publish again",
            error.Message);
        Assert.Equal([1, 2], ModelRepository.Versions(_repository));
    }

    [Fact]
    public void A_full_disk_without_keep_versions_says_what_the_version_there_takes_and_how_to_make_room()
    {
        ModelRepository.Publish(_repository, dir => File.WriteAllBytes(Path.Combine(dir, "model.onnx"), new byte[1 << 20]), []);

        var error = Assert.Throws<IOException>(() => RepositoryPublish.Run(_repository, _ => File.WriteAllBytes("/dev/full", new byte[1]), [], keepVersions: 0));

        Assert.Equal($"{_repository}: the new version could not be written (No space left on device); the repository is left as it was; " +
                     $"the 1 version there takes 1 MiB: delete old versions ({Path.Combine(_repository, "1")} is the oldest), " +
                     "or publish with --keep-versions N on a volume with room for N + 1 versions",
            error.Message);
    }

    [Fact]
    public void A_full_disk_before_the_first_version_says_the_volume_is_smaller_than_one_version()
    {
        var error = Assert.Throws<IOException>(() => RepositoryPublish.Run(_repository, _ => File.WriteAllBytes("/dev/full", new byte[1]), [], keepVersions: 2));

        Assert.EndsWith("; it holds no version yet: its volume is smaller than one version", error.Message);
    }

    [Fact]
    public void Another_write_failure_is_told_as_it_was()
    {
        var error = Assert.Throws<IOException>(() => RepositoryPublish.Run(_repository, _ => throw new IOException("Input/output error"), [], keepVersions: 2));

        Assert.Equal($"{_repository}: the new version could not be written (Input/output error); the repository is left as it was", error.Message);
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_repository)!, recursive: true);
}
