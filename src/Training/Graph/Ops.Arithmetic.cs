namespace InverseLearning.Training.Graph;

// Elementwise arithmetic. Each op: forward node, then its VJP. Broadcasting operands
// get their gradient summed back to their own shape by ReduceTo.
public sealed partial class GraphBuilder
{
    public Value Add(Value a, Value b) => Binary("Add", a, b,
        (n, dy) => [ReduceTo(dy[0]!, n.Input(0)), ReduceTo(dy[0]!, n.Input(1))]);

    public Value Sub(Value a, Value b) => Binary("Sub", a, b,
        (n, dy) => [ReduceTo(dy[0]!, n.Input(0)), ReduceTo(Neg(dy[0]!), n.Input(1))]);

    public Value Mul(Value a, Value b) => Binary("Mul", a, b,
        (n, dy) => [ReduceTo(Mul(dy[0]!, n.Input(1)), n.Input(0)), ReduceTo(Mul(dy[0]!, n.Input(0)), n.Input(1))]);

    // d(a/b)/db = -(a/b)/b: reuse the output instead of squaring b.
    public Value Div(Value a, Value b) => Binary("Div", a, b,
        (n, dy) => [ReduceTo(Div(dy[0]!, n.Input(1)), n.Input(0)), ReduceTo(Neg(Div(Mul(dy[0]!, n.Output), n.Input(1))), n.Input(1))]);

    public Value Pow(Value a, Value b) => Binary("Pow", a, b,
        (n, dy) => [
            ReduceTo(Mul(dy[0]!, Mul(n.Input(1), Pow(n.Input(0), Sub(n.Input(1), Scalar(1, n.Input(1).Type))))), n.Input(0)),
            ReduceTo(Mul(dy[0]!, Mul(n.Output, Log(n.Input(0)))), n.Input(1))]);

    /// <summary>Elementwise maximum; at ties the gradient goes to <paramref name="a"/>.</summary>
    public Value Max(Value a, Value b) => Binary("Max", a, b, (n, dy) =>
    {
        var aWins = GreaterOrEqual(n.Input(0), n.Input(1));
        var zero = Scalar(0, dy[0]!.Type);
        return [ReduceTo(Where(aWins, dy[0]!, zero), n.Input(0)), ReduceTo(Where(aWins, zero, dy[0]!), n.Input(1))];
    });

    /// <summary>Elementwise minimum; at ties the gradient goes to <paramref name="a"/>.</summary>
    public Value Min(Value a, Value b) => Binary("Min", a, b, (n, dy) =>
    {
        var aWins = LessOrEqual(n.Input(0), n.Input(1));
        var zero = Scalar(0, dy[0]!.Type);
        return [ReduceTo(Where(aWins, dy[0]!, zero), n.Input(0)), ReduceTo(Where(aWins, zero, dy[0]!), n.Input(1))];
    });

    public Value Neg(Value x) => Unary("Neg", x, (n, dy) => [Neg(dy[0]!)]);

    public Value Exp(Value x) => Unary("Exp", x, (n, dy) => [Mul(dy[0]!, n.Output)]);

    public Value Log(Value x) => Unary("Log", x, (n, dy) => [Div(dy[0]!, n.Input(0))]);

    public Value Sqrt(Value x) => Unary("Sqrt", x, (n, dy) => [Div(Mul(dy[0]!, Scalar(0.5, x.Type)), n.Output)]);

    public Value Abs(Value x) => Unary("Abs", x, (n, dy) => [Mul(dy[0]!, Sign(n.Input(0)))]);

    public Value Sign(Value x) => Unary("Sign", x, null);

    public Value Relu(Value x) => Unary("Relu", x,
        (n, dy) => [Where(Greater(n.Input(0), Scalar(0, x.Type)), dy[0]!, Scalar(0, x.Type))]);

    public Value Sigmoid(Value x) => Unary("Sigmoid", x,
        (n, dy) => [Mul(dy[0]!, Mul(n.Output, Sub(Scalar(1, x.Type), n.Output)))]);

    public Value Softplus(Value x) => Unary("Softplus", x, (n, dy) => [Mul(dy[0]!, Sigmoid(n.Input(0)))]);

    public Value Identity(Value x) => Unary("Identity", x, (n, dy) => [dy[0]]);

    /// <summary>Passes <paramref name="x"/> through unchanged, but no gradient flows back into it: sg(x).</summary>
    public Value StopGradient(Value x) => Unary("Identity", x, null);

    public Value Cast(Value x, DType to) => Emit("Cast", [x], x.Shape, to,
        (n, dy) => [n.Input(0).Type.IsFloating() ? Cast(dy[0]!, n.Input(0).Type) : null],
        [Attr.Int("to", (long)to)]);

    /// <summary>Picks <paramref name="a"/> where <paramref name="condition"/> holds, else <paramref name="b"/>.</summary>
    public Value Where(Value condition, Value a, Value b)
    {
        var shape = Shape.Broadcast(condition.Shape, Shape.Broadcast(a.Shape, b.Shape));
        return Emit("Where", [condition, a, b], shape, a.Type, (n, dy) =>
        {
            var zero = Scalar(0, dy[0]!.Type);
            return [null, ReduceTo(Where(n.Input(0), dy[0]!, zero), n.Input(1)), ReduceTo(Where(n.Input(0), zero, dy[0]!), n.Input(2))];
        });
    }

    private Value Unary(string op, Value x, Vjp? vjp) => Emit(op, [x], x.Shape, x.Type, vjp);

    private Value Binary(string op, Value a, Value b, Vjp vjp)
    {
        if (a.Type != b.Type) throw new ArgumentException($"{op}: operand types differ ({a} vs {b})");
        return Emit(op, [a, b], Shape.Broadcast(a.Shape, b.Shape), a.Type, vjp);
    }

    /// <summary>Sums a broadcast gradient back to the shape of the operand it belongs to.</summary>
    internal Value ReduceTo(Value gradient, Value operand)
    {
        var target = operand.Shape;
        if (gradient.Shape.Equals(target)) return gradient;
        var lead = gradient.Shape.Rank - target.Rank;
        var result = lead > 0 ? ReduceSum(gradient, Enumerable.Range(0, lead).Select(i => (long)i).ToArray(), keepDims: false) : gradient;
        var broadcastAxes = Enumerable.Range(0, target.Rank)
            .Where(i => target[i] == new Dim(1) && result.Shape[i] != new Dim(1))
            .Select(i => (long)i).ToArray();
        return broadcastAxes.Length > 0 ? ReduceSum(result, broadcastAxes, keepDims: true) : result;
    }
}
