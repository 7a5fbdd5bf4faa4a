//! Password hashing with Argon2id (PHC strings), and the rules a password must meet.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// NIST-style rules: long enough, not absurdly long (but never capped below 64).
pub const MIN_LEN: usize = 10;
pub const MAX_LEN: usize = 256;

/// Checks a new password; the error is a Vietnamese message for the form.
pub fn check_rules(password: &str, username: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_LEN {
        return Err(format!("Mật khẩu phải có ít nhất {MIN_LEN} ký tự."));
    }
    if n > MAX_LEN {
        return Err(format!("Mật khẩu tối đa {MAX_LEN} ký tự."));
    }
    if !username.is_empty() && password.to_lowercase().contains(&username.to_lowercase()) {
        return Err("Mật khẩu không được chứa tên đăng nhập.".into());
    }
    Ok(())
}

pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
}

/// True when `password` matches the PHC string; false on any mismatch or bad hash.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A fixed hash to verify against when the username does not exist, so that the
/// response time does not reveal which usernames exist.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("not-a-real-password-0000").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let h = hash("mật khẩu dài đủ").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("mật khẩu dài đủ", &h));
        assert!(!verify("mật khẩu sai", &h));
        assert!(!verify("x", "not a hash"));
    }

    #[test]
    fn rules() {
        assert!(check_rules("short", "u").is_err());
        assert!(check_rules(&"a".repeat(64), "u").is_ok());
        assert!(check_rules(&"a".repeat(257), "u").is_err());
        assert!(check_rules("thuky-password-1", "thuky").is_err());
        assert!(check_rules("correct horse battery", "thuky").is_ok());
    }
}
