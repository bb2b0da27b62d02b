namespace Sage.MLNet;

/// <summary>Order of the three colour planes an image encoder expects in its [N, 3, H, W] input.</summary>
public enum SageFaceChannelOrder
{
    /// <summary>Red, green, blue: most PyTorch and ONNX model-zoo exports.</summary>
    Rgb,

    /// <summary>Blue, green, red: Caffe and CNTK exports, such as the packaged ResNet18.</summary>
    Bgr,
}
