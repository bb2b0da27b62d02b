using TorchSharp;

namespace Sage.MLNet.Modeling;

/// <summary>
/// Long-lived TorchSharp scalars for the constants the network and its loss use.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 frees a <see cref="Scalar"/>'s native memory in its finalizer, and passes only the
/// raw handle to native code. A temporary scalar, such as the implicit <c>alpha = 1</c> behind
/// <c>a + b</c>, can therefore be finalized while the native call still reads it; in Release builds under
/// GC pressure this fails with "Expected false to be true" from <c>c10::Scalar::toFloat</c> (reproduced
/// on this project's machine). Scalars held in static fields are never finalized, so tensor code here
/// passes these explicitly instead of writing <c>+</c>, <c>-</c> or numeric literals between tensors.
/// </remarks>
internal static class Scalars
{
    public static readonly Scalar Zero = 0f.ToScalar();
    public static readonly Scalar One = 1f.ToScalar();
    public static readonly Scalar MinusOne = (-1f).ToScalar();
    public static readonly Scalar Two = 2f.ToScalar();
    public static readonly Scalar NegativeInfinity = float.NegativeInfinity.ToScalar();
}
