//! The builder's pure state: a field's place in the definition (indexes down through
//! groups), and every edit the builder makes as a function from one form to the next —
//! add, move, delete, a fresh unique name, the questions a skip rule can read, and
//! where each of the definition's problems belongs. No browser here: host-tested.

use linli_core::forms::definition::DefinitionError;
use linli_core::forms::expr::is_field_name;
use linli_core::forms::form::{Choice, Field, Form, Text, Type, MAX_DEPTH};
use linli_core::forms::rule::{Compare, Condition, Rule};

/// A field's place: its index among the form's fields, then among its group's, and so
/// on down.
pub type Place = Vec<usize>;

/// The field at `place`.
pub fn field_at<'f>(fields: &'f [Field], place: &[usize]) -> Option<&'f Field> {
    let (first, rest) = place.split_first()?;
    let f = fields.get(*first)?;
    if rest.is_empty() {
        Some(f)
    } else {
        field_at(&f.fields, rest)
    }
}

fn list_mut<'f>(fields: &'f mut Vec<Field>, parent: &[usize]) -> Option<&'f mut Vec<Field>> {
    match parent.split_first() {
        None => Some(fields),
        Some((first, rest)) => list_mut(&mut fields.get_mut(*first)?.fields, rest),
    }
}

/// The form with the field at `place` changed by `edit` (unchanged if there is none).
pub fn edited(form: &Form, place: &[usize], edit: impl FnOnce(&mut Field)) -> Form {
    let mut next = form.clone();
    if let Some((last, parent)) = place.split_last() {
        if let Some(f) = list_mut(&mut next.fields, parent).and_then(|l| l.get_mut(*last)) {
            edit(f);
        }
    }
    next
}

/// Every place in the order of the definition's checks (depth first, a group before
/// its fields), so a [`DefinitionError`]'s `at` finds its field.
pub fn places(fields: &[Field]) -> Vec<Place> {
    fn walk(fields: &[Field], prefix: &mut Place, out: &mut Vec<Place>) {
        for (i, f) in fields.iter().enumerate() {
            prefix.push(i);
            out.push(prefix.clone());
            walk(&f.fields, prefix, out);
            prefix.pop();
        }
    }
    let mut out = Vec::new();
    walk(fields, &mut Vec::new(), &mut out);
    out
}

/// The place of the field a problem belongs to.
pub fn place_of(form: &Form, error: &DefinitionError) -> Option<Place> {
    places(&form.fields).into_iter().nth(error.at)
}

/// A name no field of `form` has: `q1`, `q2`, … (the first free).
pub fn fresh_name(form: &Form, stem: &str) -> String {
    let taken: Vec<String> = form
        .all_fields()
        .into_iter()
        .map(|(_, f)| f.name.clone())
        .collect();
    (1..)
        .map(|n| format!("{stem}{n}"))
        .find(|n| !taken.contains(n))
        .unwrap_or_else(|| stem.to_owned())
}

/// A choice value not yet among `choices`: `opt1`, `opt2`, ….
pub fn fresh_choice(choices: &[Choice]) -> (String, usize) {
    (1..)
        .map(|n| (format!("opt{n}"), n))
        .find(|(name, _)| !choices.iter().any(|c| &c.name == name))
        .unwrap_or_else(|| ("opt".to_owned(), 0))
}

/// A new field of `kind` as the builder adds it: a fresh name, the label `label`, two
/// options for a choice question (`option` makes their text from a number), and one
/// question inside a group or repeat.
pub fn new_field(form: &Form, kind: Type, label: &str, option: &dyn Fn(usize) -> String) -> Field {
    let stem = match kind {
        Type::Group => "group",
        Type::Repeat => "repeat",
        Type::Note => "note",
        Type::Calculate => "calc",
        _ => "q",
    };
    let mut f = Field::new(&fresh_name(form, stem), kind, label);
    if kind.has_choices() {
        f.choices = (1..=2)
            .map(|n| Choice {
                name: format!("opt{n}"),
                label: Text::zh(&option(n)),
            })
            .collect();
    }
    if kind == Type::Calculate {
        f.label = Text::default();
    }
    if kind.has_fields() {
        // The child's name must differ from the group's, which is not in `form` yet.
        let mut with_group = form.clone();
        with_group.fields.push(f.clone());
        f.fields = vec![Field::new(&fresh_name(&with_group, "q"), Type::Text, label)];
    }
    f
}

/// The form with `field` added: after the field at `after` (as its sibling), inside
/// the group at `into` (last), or last in the form; answers the new field's place.
/// Groups are not added deeper than the definition allows.
pub fn added(
    form: &Form,
    field: Field,
    after: Option<&[usize]>,
    into: Option<&[usize]>,
) -> (Form, Place) {
    let mut next = form.clone();
    let (parent, index): (Place, Option<usize>) = match (into, after) {
        (Some(group), _) => (group.to_vec(), None),
        (None, Some(place)) if !place.is_empty() => {
            let (last, parent) = place.split_last().unwrap_or((&0, &[]));
            (parent.to_vec(), Some(last + 1))
        }
        _ => (Vec::new(), None),
    };
    let too_deep = field.kind.has_fields() && parent.len() + 1 >= MAX_DEPTH;
    let (parent, index) = if too_deep {
        (Vec::new(), None)
    } else {
        (parent, index)
    };
    let Some(list) = list_mut(&mut next.fields, &parent) else {
        return (form.clone(), Vec::new());
    };
    let at = index.unwrap_or(list.len()).min(list.len());
    list.insert(at, field);
    let mut place = parent;
    place.push(at);
    (next, place)
}

/// The form with the field at `place` moved one up (`up`) or down among its siblings;
/// answers its new place (the same when it cannot move).
pub fn moved(form: &Form, place: &[usize], up: bool) -> (Form, Place) {
    let mut next = form.clone();
    let Some((last, parent)) = place.split_last() else {
        return (next, Vec::new());
    };
    let Some(list) = list_mut(&mut next.fields, parent) else {
        return (next, place.to_vec());
    };
    let to = if up {
        last.checked_sub(1)
    } else {
        Some(last + 1)
    };
    match to {
        Some(to) if to < list.len() && *last < list.len() => {
            list.swap(*last, to);
            let mut p = parent.to_vec();
            p.push(to);
            (next, p)
        }
        _ => (next, place.to_vec()),
    }
}

/// The form without the field at `place` (and, for a group, its fields).
pub fn removed(form: &Form, place: &[usize]) -> Form {
    let mut next = form.clone();
    if let Some((last, parent)) = place.split_last() {
        if let Some(list) = list_mut(&mut next.fields, parent) {
            if *last < list.len() {
                list.remove(*last);
            }
        }
    }
    next
}

/// The form with the field at `place` named `name`, and every `${old}` in the form's
/// expressions (skip rules, constraints, calculations) following it, so a rename
/// never breaks a rule that reads the field. The references follow only when both
/// names are sound and each is one field's (`false` then: the name is set, and the
/// definition's checks show what is wrong, but no reference is merged into another
/// field's).
pub fn renamed(form: &Form, place: &[usize], name: &str) -> (Form, bool) {
    let Some(old) = field_at(&form.fields, place).map(|f| f.name.clone()) else {
        return (form.clone(), true);
    };
    let mut next = edited(form, place, |f| f.name = name.to_owned());
    if old == name {
        return (next, true);
    }
    let count = |n: &str| {
        form.all_fields()
            .into_iter()
            .filter(|(_, f)| f.name == n)
            .count()
    };
    if !is_field_name(name) || !is_field_name(&old) || count(name) > 0 || count(&old) > 1 {
        return (next, false);
    }
    let (from, to) = (format!("${{{old}}}"), format!("${{{name}}}"));
    fn walk(fields: &mut [Field], from: &str, to: &str) {
        for f in fields {
            for e in [&mut f.relevant, &mut f.constraint, &mut f.calculation]
                .into_iter()
                .flatten()
            {
                *e = e.replace(from, to);
            }
            walk(&mut f.fields, from, to);
        }
    }
    walk(&mut next.fields, &from, &to);
    (next, true)
}

/// The form with option `i` of the field at `place` given the value `name`, and the
/// picked skip rules that compare the field with the old value following it (a rule
/// written by hand is left as written). They follow only when both values are sound
/// and each is one option's, as for [`renamed`].
pub fn choice_renamed(form: &Form, place: &[usize], i: usize, name: &str) -> Form {
    let Some(f) = field_at(&form.fields, place) else {
        return form.clone();
    };
    let Some(old) = f.choices.get(i).map(|c| c.name.clone()) else {
        return form.clone();
    };
    let field = f.name.clone();
    let count = |n: &str| f.choices.iter().filter(|c| c.name == n).count();
    let follow = old != name
        && is_field_name(name)
        && is_field_name(&old)
        && count(name) == 0
        && count(&old) == 1;
    let mut next = edited(form, place, |f| {
        if let Some(c) = f.choices.get_mut(i) {
            c.name = name.to_owned();
        }
    });
    if !follow {
        return next;
    }
    let types = next.clone();
    fn walk(fields: &mut [Field], field: &str, old: &str, name: &str, types: &Form) {
        for f in fields {
            if let Some(mut rule) = f.relevant.as_deref().and_then(Rule::read) {
                let mut changed = false;
                for c in &mut rule.conditions {
                    if c.field == field && c.value == old && c.compare.takes_value() {
                        c.value = name.to_owned();
                        changed = true;
                    }
                }
                if changed {
                    f.relevant = rule.expression(types);
                }
            }
            walk(&mut f.fields, field, old, name, types);
        }
    }
    walk(&mut next.fields, &field, &old, name, &types);
    next
}

/// The list `items` with the item at `i` moved one up or down.
pub fn swapped<T: Clone>(items: &[T], i: usize, up: bool) -> Vec<T> {
    let mut out = items.to_vec();
    let to = if up { i.checked_sub(1) } else { Some(i + 1) };
    if let Some(to) = to.filter(|t| *t < out.len() && i < out.len()) {
        out.swap(i, to);
    }
    out
}

/// The questions a skip rule of the field at `own` may read: those before it in the
/// form with an answer to compare (not notes, groups or repeats) — not the field
/// itself or its own fields, and inside a repeat only the fields of a repeat it is in
/// too (the same entry's answers).
pub fn candidates<'f>(form: &'f Form, own: &[usize]) -> Vec<&'f Field> {
    type Seen<'f> = Vec<(Place, Vec<Place>, &'f Field)>;
    fn walk<'f>(
        fields: &'f [Field],
        place: &mut Place,
        repeats: &mut Vec<Place>,
        out: &mut Seen<'f>,
    ) {
        for (i, f) in fields.iter().enumerate() {
            place.push(i);
            out.push((place.clone(), repeats.clone(), f));
            let repeat = f.kind == Type::Repeat;
            if repeat {
                repeats.push(place.clone());
            }
            walk(&f.fields, place, repeats, out);
            if repeat {
                repeats.pop();
            }
            place.pop();
        }
    }
    let mut all = Vec::new();
    walk(&form.fields, &mut Vec::new(), &mut Vec::new(), &mut all);
    let Some(at) = all.iter().position(|(p, _, _)| p.as_slice() == own) else {
        return Vec::new();
    };
    all[..at]
        .iter()
        .filter(|(_, repeats, f)| {
            !Compare::for_type(f.kind).is_empty() && repeats.iter().all(|r| own.starts_with(r))
        })
        .map(|(_, _, f)| *f)
        .collect()
}

/// A new condition on `field`: its first comparison, and its first choice (or `yes`)
/// as the value when it has choices.
pub fn new_condition(field: &Field) -> Condition {
    let compare = Compare::for_type(field.kind)
        .first()
        .copied()
        .unwrap_or(Compare::Answered);
    let value = match field.kind {
        Type::YesNo => "yes".to_owned(),
        _ => field
            .choices
            .first()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
    };
    Condition {
        field: field.name.clone(),
        compare,
        value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linli_core::forms::definition::check_form;

    fn form() -> Form {
        let mut group = Field::new("home", Type::Group, "家庭");
        group.fields = vec![
            Field::new("size", Type::Integer, "几口人"),
            Field::new("pets", Type::YesNo, "养宠物"),
        ];
        Form {
            id: "f".into(),
            version: "1".into(),
            title: Text::zh("t"),
            description: None,
            fields: vec![
                Field::new("q1", Type::Text, "姓名"),
                group,
                Field::new("note", Type::Note, "谢谢"),
            ],
        }
    }

    fn option(n: usize) -> String {
        format!("选项 {n}")
    }

    fn names(fields: &[Field]) -> Vec<&str> {
        fields.iter().map(|f| f.name.as_str()).collect()
    }

    #[test]
    fn added_fields_get_fresh_names_and_land_where_asked() {
        let f = form();
        let q = new_field(&f, Type::SelectOne, "新题目", &option);
        assert_eq!(q.name, "q2");
        assert_eq!(q.choices.len(), 2);
        assert!(check_form(&Form {
            fields: vec![q.clone()],
            ..f.clone()
        })
        .is_empty());
        let (next, at) = added(&f, q.clone(), Some(&[0]), None);
        assert_eq!(at, vec![1]);
        assert_eq!(names(&next.fields), ["q1", "q2", "home", "note"]);
        let (next, at) = added(&f, q.clone(), None, Some(&[1]));
        assert_eq!(at, vec![1, 2]);
        assert_eq!(names(&next.fields[1].fields), ["size", "pets", "q2"]);
        let (next, at) = added(&f, q, None, None);
        assert_eq!(at, vec![3]);
        assert_eq!(names(&next.fields), ["q1", "home", "note", "q2"]);
        // A new group comes with a question of its own, both sound.
        let g = new_field(&f, Type::Repeat, "新题目", &option);
        assert_eq!((g.name.as_str(), g.fields.len()), ("repeat1", 1));
        assert_ne!(g.fields[0].name, "q1");
        let (next, _) = added(&f, g, None, None);
        assert!(check_form(&next).is_empty(), "{:?}", check_form(&next));
    }

    #[test]
    fn fields_move_among_their_siblings_only_and_delete_with_their_group() {
        let f = form();
        let (next, at) = moved(&f, &[1, 1], true);
        assert_eq!(at, vec![1, 0]);
        assert_eq!(names(&next.fields[1].fields), ["pets", "size"]);
        let (same, at) = moved(&f, &[0], true);
        assert_eq!((same, at), (f.clone(), vec![0]));
        let (same, at) = moved(&f, &[2], false);
        assert_eq!((same, at), (f.clone(), vec![2]));
        let next = removed(&f, &[1]);
        assert_eq!(names(&next.fields), ["q1", "note"]);
        assert_eq!(removed(&f, &[9]), f);
        assert_eq!(swapped(&[1, 2, 3], 2, false), vec![1, 2, 3]);
        assert_eq!(swapped(&[1, 2, 3], 1, true), vec![2, 1, 3]);
    }

    #[test]
    fn each_problem_of_the_definition_finds_its_field() {
        let mut f = form();
        f.fields[1].fields[1].relevant = Some("${nobody} = 1".into());
        f.fields[0].label = Text::default();
        let errors = check_form(&f);
        let at: Vec<Place> = errors.iter().filter_map(|e| place_of(&f, e)).collect();
        assert_eq!(at, vec![vec![0], vec![1, 1]]);
        let edited = edited(&f, &[1, 1], |x| x.relevant = None);
        assert_eq!(check_form(&edited).len(), 1);
    }

    #[test]
    fn a_renamed_field_takes_the_rules_that_read_it_along() {
        let mut f = form();
        f.fields[2].relevant = Some("${size} > 2 and ${size_b} = 1".into());
        f.fields[1]
            .fields
            .push(Field::new("size_b", Type::Integer, "x"));
        let (next, followed) = renamed(&f, &[1, 0], "members");
        assert!(followed);
        assert_eq!(next.fields[1].fields[0].name, "members");
        assert_eq!(
            next.fields[2].relevant.as_deref(),
            Some("${members} > 2 and ${size_b} = 1")
        );
        // Onto another field's name: set (the check says it is taken), references kept,
        // and renamed back nothing of the other field's is taken along.
        let (taken, followed) = renamed(&f, &[1, 0], "size_b");
        assert!(!followed);
        assert_eq!(taken.fields[2].relevant, f.fields[2].relevant);
        let (back, followed) = renamed(&taken, &[1, 0], "size");
        assert!(!followed);
        assert_eq!(back.fields[2].relevant, f.fields[2].relevant);
    }

    #[test]
    fn a_renamed_option_takes_the_picked_rules_that_compare_with_it_along() {
        let mut f = form();
        let mut pick = Field::new("pick", Type::SelectOne, "选");
        pick.choices = vec![
            Choice {
                name: "a".into(),
                label: Text::zh("甲"),
            },
            Choice {
                name: "b".into(),
                label: Text::zh("乙"),
            },
        ];
        f.fields.insert(0, pick);
        f.fields[3].relevant = Some("${pick} = 'a' or ${pick} != 'b'".into());
        f.fields[1].relevant = Some("selected(${pick}, 'a') and string-length(${q1}) > 1".into());
        let next = choice_renamed(&f, &[0], 0, "apple");
        assert_eq!(next.fields[0].choices[0].name, "apple");
        assert_eq!(
            next.fields[3].relevant.as_deref(),
            Some("${pick} = 'apple' or ${pick} != 'b'")
        );
        assert_eq!(
            next.fields[1].relevant, f.fields[1].relevant,
            "written: as it was"
        );
        // Onto the other option's value: set, no rule merged.
        let same = choice_renamed(&f, &[0], 0, "b");
        assert_eq!(same.fields[3].relevant, f.fields[3].relevant);
    }

    #[test]
    fn a_rule_reads_answerable_questions_other_than_its_own() {
        let f = form();
        let names = |form: &Form, own: &[usize]| -> Vec<String> {
            candidates(form, own)
                .iter()
                .map(|x| x.name.clone())
                .collect()
        };
        assert!(names(&f, &[0]).is_empty(), "nothing before the first");
        assert_eq!(names(&f, &[2]), ["q1", "size", "pets"]);
        assert_eq!(names(&f, &[1, 1]), ["q1", "size"]);
        assert_eq!(names(&f, &[1]), ["q1"], "not the group's own");
        let mut r = f.clone();
        r.fields[1].kind = Type::Repeat;
        assert_eq!(
            names(&r, &[2]),
            ["q1"],
            "not inside a repeat from outside it"
        );
        assert_eq!(
            names(&r, &[1, 1]),
            ["q1", "size"],
            "the same entry's answers"
        );
        let c = new_condition(&f.fields[1].fields[1]);
        assert_eq!((c.compare, c.value.as_str()), (Compare::Is, "yes"));
    }
}
