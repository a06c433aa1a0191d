#pragma once
#include <stdexcept>
#include <string>
#include <string_view>

namespace hubsync::store {

class secret_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Seals secrets (warehouse passwords, HubSpot tokens) with AES-256-GCM before they reach the state database.
// A sealed value is "v1:" + base64(nonce[12] | ciphertext | tag[16]); a fresh random nonce per seal. `context`
// is authenticated but not stored (e.g. "source"), so a secret copied into another kind of row does not open.
class secret_box {
public:
    // `key` is 32 raw bytes. Throws secret_error otherwise.
    explicit secret_box(std::string key);

    // Parses HUBSYNC_SECRET_KEY: base64 of exactly 32 bytes. Throws secret_error with a message fit for a
    // start-up error (it never echoes the key).
    static secret_box from_base64(std::string_view encoded);

    std::string seal(std::string_view plaintext, std::string_view context) const;
    // Throws secret_error when the value was sealed under another key or context, or was altered.
    std::string open(std::string_view sealed, std::string_view context) const;

private:
    std::string key_;
};

}  // namespace hubsync::store
