namespace Sage.MLNet.Modeling;

/// <summary>
/// The fixed sinusoidal position table of "Attention Is All You Need", added to Z before the
/// Transformer so self-attention can tell frames apart by their place in the clip.
/// </summary>
internal static class SinusoidalPositions
{
    /// <summary>Returns the table as [length, width] in row-major order.</summary>
    public static float[] Create(int length, int width)
    {
        var table = new float[length * width];
        for (var position = 0; position < length; position++)
        {
            for (var i = 0; i < width; i += 2)
            {
                var angle = position / Math.Pow(10000.0, (double)i / width);
                table[position * width + i] = (float)Math.Sin(angle);
                if (i + 1 < width)
                {
                    table[position * width + i + 1] = (float)Math.Cos(angle);
                }
            }
        }
        return table;
    }
}
