using static InverseLearning.Deploy.Tests.Manifests;

namespace InverseLearning.Deploy.Tests;

/// <summary>The Dockerfile's images, read as text (no container engine here): which stage builds what, on which base.</summary>
public class DockerfileTests
{
    private sealed record Stage(string Name, string Base, IReadOnlyList<string> Lines);

    // Each "FROM base AS name" starts a stage that runs up to the next one.
    private static IReadOnlyList<Stage> Stages()
    {
        var stages = new List<Stage>();
        foreach (var line in File.ReadAllLines(Path.Combine(RepositoryRoot(), "Dockerfile")).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words[0] == "FROM") stages.Add(new Stage(words[^1], words[1], new List<string>()));
            else ((List<string>)stages[^1].Lines).Add(line);
        }
        return stages;
    }

    private static Stage Named(string name) => Stages().Single(s => s.Name == name);

    /// <summary>The stage whose output a final image copies in.</summary>
    private static Stage CopiedFrom(Stage image) =>
        Named(Assert.Single(image.Lines, l => l.StartsWith("COPY --from=")).Split(' ')[1]["--from=".Length..]);

    [Fact]
    public void Gpu_image_runs_the_trainer_published_with_the_gpu_flavor_on_cuda_13_and_serves_on_cuda()
    {
        var image = Named("runtime-gpu");
        Assert.StartsWith("nvidia/cuda:13.", image.Base);
        Assert.Contains("cudnn", image.Base);
        var publish = CopiedFrom(image);
        var publishCommand = Assert.Single(publish.Lines, l => l.Contains("dotnet publish"));
        Assert.Contains("src/Training/InverseLearning.Training.csproj", publishCommand);
        Assert.Contains("-p:OrtFlavor=gpu", publishCommand);
        // The CUDA base image has no .NET runtime.
        Assert.Contains("--self-contained", publishCommand);
        Assert.Contains(publish.Lines, l => l.Contains("dotnet restore") && l.Contains("-p:OrtFlavor=gpu"));
        Assert.Contains(image.Lines, l => l.StartsWith("USER ") && !l.Contains("root"));
        // Its `serve` scores on the GPU: the image exists for it.
        Assert.Contains("ENV Ranking__Device=cuda", image.Lines);
    }

    [Fact]
    public void Cpu_images_never_restore_the_gpu_package()
    {
        // The GPU stages are built only for --target runtime-gpu; every other stage stays on the CPU package.
        var gpuStages = new HashSet<string> { "runtime-gpu", CopiedFrom(Named("runtime-gpu")).Name };
        var cpuStages = Stages().Where(s => !gpuStages.Contains(s.Name)).ToList();
        Assert.Contains(cpuStages, s => s.Name == "serve");
        Assert.Contains(cpuStages, s => s.Name == "train");
        Assert.DoesNotContain(cpuStages.SelectMany(s => s.Lines), l => l.Contains("OrtFlavor"));
        Assert.DoesNotContain(cpuStages, s => s.Base.StartsWith("nvidia/"));
        Assert.Equal("serve", Stages()[^1].Name);
    }

    [Fact]
    public void Trainer_images_install_a_font_for_the_charts_text_before_dropping_root()
    {
        // Neither aspnet:10.0 nor the CUDA base ships a font: the runs' charts came out with no title, axes or legend.
        foreach (var image in new[] { Named("train"), Named("runtime-gpu") })
        {
            var install = image.Lines.ToList().FindIndex(l => l.StartsWith("RUN apt-get") && l.Contains("install") && l.Contains("fonts-dejavu-core"));
            Assert.True(install >= 0, $"{image.Name} installs no font package");
            Assert.True(install < image.Lines.ToList().FindIndex(l => l.StartsWith("USER ")), $"{image.Name} installs its font after dropping root");
        }
    }

    [Fact]
    public void Images_on_the_aspnet_base_clear_its_hosting_port_which_the_server_refuses()
    {
        // aspnet:10.0 sets ASPNETCORE_HTTP_PORTS=8080, a listener the server would not own: left set, serve refuses to start.
        var images = Stages().Where(s => s.Base.StartsWith("mcr.microsoft.com/dotnet/aspnet:")).ToList();
        Assert.Equal(["train", "serve"], images.Select(s => s.Name));
        Assert.All(images, image => Assert.Contains("ENV ASPNETCORE_HTTP_PORTS=", image.Lines));
    }
}
