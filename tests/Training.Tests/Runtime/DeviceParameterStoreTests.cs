using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Runtime;

/// <summary>The device store's whole-tensor operations, under the CPU provider, against the host store doing the same.</summary>
public class DeviceParameterStoreTests
{
    private static readonly ExecutionDevice Cpu = new("cpu", 1);

    private static (HostParameterStore Host, DeviceParameterStore Device) Both()
    {
        var request = new StoreRequest(new NeuMf(4, 2), 7, 11, new Adam().StateNames.Count, 3, InitScheme.Ncf);
        return (new HostParameterStore(request), new DeviceParameterStore(request, Cpu));
    }

    private static float[] Tensor(IParameterStore store, int parameter, int slot)
    {
        var values = new float[store.Parameters[parameter].Length];
        store.Read(parameter, slot, values);
        return values;
    }

    [Fact]
    public void It_starts_from_the_host_stores_initial_values_with_zero_optimizer_state()
    {
        var (host, device) = Both();
        using var _ = device;
        Assert.Equal(host.Parameters.Select(p => p.Name), device.Parameters.Select(p => p.Name));
        for (var k = 0; k < host.Parameters.Count; k++)
        {
            Assert.Equal(host.All[k].Values, Tensor(device, k, 0));
            Assert.All(Tensor(device, k, 1).Concat(Tensor(device, k, 2)), v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void Write_then_ReadRows_returns_the_written_rows()
    {
        var (_, device) = Both();
        using var _ = device;
        var width = device.Parameters[1].RowWidth;
        var values = Enumerable.Range(0, device.Parameters[1].Length).Select(i => (float)i).ToArray();
        var version = device.Version;
        device.Write(1, 0, values);
        Assert.True(device.Version > version, "a write must move Version");
        var rows = new float[2 * width];
        device.ReadRows(1, [5, 2], rows);
        Assert.Equal(values.Skip(5 * width).Take(width).Concat(values.Skip(2 * width).Take(width)), rows);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void A_row_outside_the_table_is_refused_naming_it(int row)
    {
        var (_, device) = Both();
        using var _ = device;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => device.ReadRows(1, [2, row], new float[2 * device.Parameters[1].RowWidth]));
        Assert.Contains($"row {row} of {device.Parameters[1].Name}", e.Message);
    }

    [Fact]
    public void A_write_of_the_wrong_length_is_refused_naming_the_parameter()
    {
        var (_, device) = Both();
        using var _ = device;
        var e = Assert.Throws<ArgumentException>(() => device.Write(0, 0, new float[3]));
        Assert.Contains(device.Parameters[0].Name, e.Message);
    }

    [Fact]
    public void Restore_brings_back_values_and_state_of_the_snapshot_and_a_reused_snapshot_is_overwritten()
    {
        var (_, device) = Both();
        using var _ = device;
        var before = Tensor(device, 0, 0);
        device.Write(0, 2, Enumerable.Repeat(0.5f, before.Length).ToArray());
        var snapshot = device.Snapshot();
        device.Write(0, 0, new float[before.Length]);
        device.Write(0, 2, new float[before.Length]);
        device.Restore(snapshot);
        Assert.Equal(before, Tensor(device, 0, 0));
        Assert.All(Tensor(device, 0, 2), v => Assert.Equal(0.5f, v));

        device.Write(0, 0, Enumerable.Repeat(2f, before.Length).ToArray());
        Assert.Same(snapshot, device.Snapshot(reuse: snapshot));
        device.Write(0, 0, new float[before.Length]);
        device.Restore(snapshot);
        Assert.All(Tensor(device, 0, 0), v => Assert.Equal(2f, v));
    }

    [Fact]
    public void ResetOptimizer_zeroes_every_state_tensor_and_the_step_count()
    {
        var (_, device) = Both();
        using var _ = device;
        for (var k = 0; k < device.Parameters.Count; k++)
            for (var slot = 1; slot <= device.StateSlots; slot++)
                device.Write(k, slot, Enumerable.Repeat(1f, device.Parameters[k].Length).ToArray());
        device.Step = 9;
        device.ResetOptimizer();
        Assert.Equal(0, device.Step);
        for (var k = 0; k < device.Parameters.Count; k++)
            for (var slot = 1; slot <= device.StateSlots; slot++)
                Assert.All(Tensor(device, k, slot), v => Assert.Equal(0f, v));
        Assert.NotEqual(0f, Tensor(device, 0, 0).Select(Math.Abs).Max());
    }
}
