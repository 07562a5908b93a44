using InverseLearning.Serving.Models.Contract;

namespace InverseLearning.Serving.Models.Repository;

/// <summary>
/// Where the served model comes from: one model file (`--model`, seen.parquet beside it) or
/// the newest complete version of a model repository (`--model-dir`).
/// </summary>
public sealed class ModelSource
{
    private readonly string? _file, _repository;

    private ModelSource(string? file, string? repository)
    {
        _file = file is null ? null : Path.GetFullPath(file);
        _repository = repository is null ? null : Path.GetFullPath(repository);
    }

    public static ModelSource From(RankingOptions options) =>
        options.ModelDirectory.Length > 0 ? new ModelSource(null, options.ModelDirectory) : new ModelSource(options.ModelPath, null);

    public bool IsRepository => _repository is not null;

    /// <summary>The repository folder, or null when serving a single file.</summary>
    public string? Repository => _repository;

    /// <summary>The folder and file patterns whose changes may mean a new model: a --model's seen list is part of it, as a version's is.</summary>
    public string WatchDirectory => _repository ?? Path.GetDirectoryName(_file!)!;
    public IReadOnlyList<string> WatchFilters => _repository is null ? [Path.GetFileName(_file!), ModelContract.SeenFileName] : ["*"];

    /// <summary>The models to try, preferred first: the file, or the repository's versions newest first.</summary>
    public IReadOnlyList<ModelLocation> Candidates() => _repository is null
        ? [ModelLocation.ForFile(_file!)]
        : ModelRepository.Versions(_repository).Reverse().Select(v => ModelLocation.ForVersion(_repository, v)).ToList();

    /// <summary>Changes whenever a different model is there to load; null when there is none. Looks at the newest alone: it runs at every poll.</summary>
    public string? Stamp()
    {
        var newest = _repository is null ? ModelLocation.ForFile(_file!)
            : ModelRepository.Versions(_repository) is [.., var version] ? ModelLocation.ForVersion(_repository, version) : null;
        return newest is { Stamp.Length: > 0 } ? newest.Stamp : null;
    }

    public string Describe() => _repository is null ? _file! : $"{_repository} (model repository)";
}
