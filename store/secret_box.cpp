#include "store/secret_box.hpp"

#include "core/base64.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

namespace hubsync::store {

namespace {
constexpr std::size_t key_size = 32;
constexpr std::size_t nonce_size = 12;
constexpr std::size_t tag_size = 16;
constexpr std::string_view prefix = "v1:";

using cipher_ctx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

cipher_ctx
new_ctx()
{
    cipher_ctx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (!ctx) throw secret_error("cannot allocate a cipher context");
    return ctx;
}

const unsigned char*
bytes(std::string_view s)
{
    return reinterpret_cast<const unsigned char*>(s.data());
}
}  // namespace

secret_box::secret_box(std::string key) : key_(std::move(key))
{
    if (key_.size() != key_size) throw secret_error("the secret key must be 32 bytes");
}

secret_box
secret_box::from_base64(std::string_view encoded)
{
    if (encoded.empty())
        throw secret_error("HUBSYNC_SECRET_KEY is not set; generate one with: openssl rand -base64 32");
    auto raw = core::base64_decode(encoded);
    if (!raw) throw secret_error("HUBSYNC_SECRET_KEY is not valid base64; generate one with: openssl rand -base64 32");
    if (raw->size() != key_size)
        throw secret_error("HUBSYNC_SECRET_KEY must decode to 32 bytes, it decodes to " + std::to_string(raw->size()) +
                           "; generate one with: openssl rand -base64 32");
    return secret_box(std::move(*raw));
}

std::string
secret_box::seal(std::string_view plaintext, std::string_view context) const
{
    std::string out(nonce_size + plaintext.size() + tag_size, '\0');
    auto* nonce = reinterpret_cast<unsigned char*>(out.data());
    if (RAND_bytes(nonce, nonce_size) != 1) throw secret_error("no randomness for a nonce");
    auto ctx = new_ctx();
    int len = 0;
    auto* ct = nonce + nonce_size;
    if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, nonce_size, nullptr) != 1 ||
        EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key_), nonce) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(context), static_cast<int>(context.size())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), ct, &len, bytes(plaintext), static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), ct + len, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, tag_size, ct + plaintext.size()) != 1)
        throw secret_error("encryption failed");
    return std::string(prefix) + core::base64_encode(out);
}

std::string
secret_box::open(std::string_view sealed, std::string_view context) const
{
    if (sealed.substr(0, prefix.size()) != prefix) throw secret_error("unknown secret format");
    auto raw = core::base64_decode(sealed.substr(prefix.size()));
    if (!raw || raw->size() < nonce_size + tag_size) throw secret_error("malformed sealed secret");
    const auto* nonce = bytes(*raw);
    const auto* ct = nonce + nonce_size;
    std::size_t ct_size = raw->size() - nonce_size - tag_size;
    std::string plain(ct_size, '\0');
    auto ctx = new_ctx();
    int len = 0;
    std::string tag = raw->substr(nonce_size + ct_size);
    auto* out = reinterpret_cast<unsigned char*>(plain.data());
    if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, nonce_size, nullptr) != 1 ||
        EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key_), nonce) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(context), static_cast<int>(context.size())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), out, &len, ct, static_cast<int>(ct_size)) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, tag_size, tag.data()) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), out + len, &len) != 1)
        throw secret_error("cannot open a stored secret: wrong HUBSYNC_SECRET_KEY or altered data");
    return plain;
}

}  // namespace hubsync::store
