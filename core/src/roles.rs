//! Staff roles (分级开放): who may see and do what in the staff console. The server
//! checks every page and API call against them; the names are the ones stored and
//! printed, and each role has its name in the staff text table.

use crate::i18n::StaffText;

/// What a staff account may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Everything, including accounts and the audit head.
    Admin,
    /// Sub-district / residents' committee staff: households, codes, submissions,
    /// elders, menus.
    Staff,
    /// Canteen: meal counts, menus and delivery lists.
    Kitchen,
    /// Social organisation: its own forms and answers.
    Organisation,
    /// A department or grid worker: only what is dispatched to them.
    Handler,
    /// Read-only: the audit trail and counts, never health data.
    Auditor,
}

impl Role {
    /// Every role, in the order the console lists them.
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Staff,
        Role::Kitchen,
        Role::Organisation,
        Role::Handler,
        Role::Auditor,
    ];

    /// The id stored in the database and typed on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Kitchen => "kitchen",
            Role::Organisation => "organisation",
            Role::Handler => "handler",
            Role::Auditor => "auditor",
        }
    }

    /// Looks a role up by its id.
    pub fn from_id(id: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.id() == id)
    }

    /// Its name in the console.
    pub fn name(self) -> StaffText {
        match self {
            Role::Admin => StaffText::RoleAdmin,
            Role::Staff => StaffText::RoleStaff,
            Role::Kitchen => StaffText::RoleKitchen,
            Role::Organisation => StaffText::RoleOrganisation,
            Role::Handler => StaffText::RoleHandler,
            Role::Auditor => StaffText::RoleAuditor,
        }
    }

    /// Roles that see personal or health data sign in with a second factor (TOTP,
    /// RFC 6238) as well as a password (DESIGN.md, "Identity and access"): every role.
    /// The kitchen's delivery list has names, addresses, allergies; a social
    /// organisation reads its forms' answers, which residents give with their household.
    pub fn needs_second_factor(self) -> bool {
        true
    }

    /// The shortest password the role may have, in characters: 12 for admin, 8 for
    /// the others (OWASP ASVS 5.0, V6.2).
    pub fn min_password_chars(self) -> usize {
        if self == Role::Admin {
            12
        } else {
            8
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_ids_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_id(r.id()), Some(r));
        }
        assert_eq!(Role::from_id("root"), None);
    }

    #[test]
    fn roles_that_see_personal_data_need_a_second_factor() {
        // Every role sees some: the organisation too, once it reads its forms' answers.
        assert!(Role::ALL.into_iter().all(Role::needs_second_factor));
    }
}
