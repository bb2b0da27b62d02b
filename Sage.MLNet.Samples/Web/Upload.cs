namespace Sage.MLNet.Samples.Web;

/// <summary>A video received in the field <c>video</c> of a multipart request and saved in the request's temporary folder.</summary>
/// <param name="Path">Where the bytes were saved.</param>
/// <param name="Name">The file name the client gave (its last path segment), or "video" when it gave none; used in messages only.</param>
/// <param name="Bytes">The file's length.</param>
internal sealed record Upload(string Path, string Name, long Bytes);
