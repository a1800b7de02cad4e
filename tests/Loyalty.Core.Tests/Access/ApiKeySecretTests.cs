using Loyalty.Core.Access;

namespace Loyalty.Core.Tests;

public class ApiKeySecretTests
{
    [Theory]
    [InlineData("_leading")]
    [InlineData("in_the_middle")]
    [InlineData("trailing_")]
    [InlineData("__")]
    public void A_secret_with_underscores_parses_back_whole(string secret)
    {
        var key = new ApiKeySecret("abcdefghijkmnpqr", secret);
        Assert.True(ApiKeySecret.TryParse(key.Value, out var parsed));
        Assert.Equal(key, parsed);
    }

    [Fact]
    public void Every_generated_key_parses_back_to_its_id_and_secret()
    {
        // A base64url secret starts with '_' once in 64 keys, so a few thousand cover that case many times over.
        for (var i = 0; i < 5_000; i++)
        {
            var key = ApiKeySecret.Generate();
            Assert.True(ApiKeySecret.TryParse(key.Value, out var parsed), key.Value);
            Assert.Equal(key, parsed);
            Assert.True(ApiKeySecret.IsKeyId(key.KeyId));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("abcdefghijkmnpq")]
    [InlineData("abcdefghijkmnpqrs")]
    [InlineData("abcdefghijkmnpq1")]
    [InlineData("ABCDEFGHIJKMNPQR")]
    public void Only_sixteen_characters_of_the_alphabet_are_a_key_id(string candidate) =>
        Assert.False(ApiKeySecret.IsKeyId(candidate));
}
