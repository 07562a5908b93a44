using InverseLearning.Training.Reports;

namespace InverseLearning.Training.Tests.Reports;

public class ConvergenceLogTests
{
    [Fact]
    public void Chosen_loss_is_the_loss_of_the_chosen_candidate()
    {
        Assert.Equal(0.1, new ConvergenceRecord(0, 0, IgCase.Direct, 0.1, 0.2, 0.3).ChosenLoss);
        Assert.Equal(0.2, new ConvergenceRecord(0, 0, IgCase.Inverse, 0.1, 0.2, 0.3).ChosenLoss);
        Assert.Equal(0.3, new ConvergenceRecord(0, 0, IgCase.Pass, 0.1, 0.2, 0.3).ChosenLoss);
    }

    [Fact]
    public void Writes_the_header_and_one_line_per_step()
    {
        using var folder = new TempFolder();
        var path = folder.File(ConvergenceLog.FileName);
        var log = new ConvergenceLog();
        log.Add(0, 1, IgCase.Direct, 0.693, 0.7, 0.69);
        log.Add(new ConvergenceRecord(1, 2, IgCase.Pass, 0.6, 0.61, 0.1 + 0.2));

        log.WriteCsv(path);

        Assert.Equal(
            [
                "epoch,step,case,loss_direct,loss_inverse,loss_pass,chosen_loss",
                "0,1,direct,0.693,0.7,0.69,0.693",
                "1,2,pass,0.6,0.61,0.30000000000000004,0.30000000000000004",
            ],
            File.ReadAllLines(path));
    }

    [Fact]
    public void Round_trips_through_the_csv()
    {
        using var folder = new TempFolder();
        var path = folder.File(ConvergenceLog.FileName);
        var log = new ConvergenceLog();
        var random = new Random(3);
        for (var step = 0; step < 50; step++)
            log.Add(step / 10, step, (IgCase)random.Next(3), random.NextDouble(), random.NextDouble(), random.NextDouble());

        log.WriteCsv(path);

        Assert.Equal(log.Records, ConvergenceCsv.Read(path));
    }

    [Fact]
    public void Counts_each_case()
    {
        var log = new ConvergenceLog();
        log.Add(0, 0, IgCase.Inverse, 1, 0.5, 1);
        log.Add(0, 1, IgCase.Inverse, 1, 0.5, 1);
        log.Add(0, 2, IgCase.Direct, 0.4, 0.5, 1);

        var counts = log.CaseCounts();

        Assert.Equal(1, counts[IgCase.Direct]);
        Assert.Equal(2, counts[IgCase.Inverse]);
        Assert.Equal(0, counts[IgCase.Pass]);
    }
}
