def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2 == 1:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def find_user(users, name):
    for user in users:
        if user.get("name") == name:
            return user
    return None


def greeting(user):
    if user == None:
        return "Hello, stranger"
    return "Hello, " + user["name"]
