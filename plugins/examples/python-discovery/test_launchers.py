import unittest

from launchers import decide


class Decide(unittest.TestCase):
    def test_console_scripts_are_saved_as_typed(self):
        self.assertEqual(
            decide(["/usr/bin/python3.11", "/home/u/.local/bin/poetry", "run", "pytest"], None),
            ["poetry", "run", "pytest"],
        )
        self.assertEqual(decide(["python3", "-u", "/venv/bin/flask", "run"], None), ["flask", "run"])

    def test_scripts_and_modules_are_kept(self):
        self.assertIsNone(decide(["python3", "/home/u/app.py"], None))
        self.assertIsNone(decide(["python3", "-m", "http.server"], None))
        self.assertIsNone(decide(["python3"], None))
        self.assertIsNone(decide(["htop"], None))

    def test_direnv_is_unwrapped(self):
        self.assertEqual(decide(["direnv", "exec", "/p", "cargo", "watch"], None), ["cargo", "watch"])
        self.assertEqual(
            decide(["/usr/bin/direnv", "exec", ".", "python3", "/p/.venv/bin/ipython"], None), ["ipython"]
        )

    def test_vim_resumes_its_session_file_when_it_can_see_it(self):
        here = lambda path: path == "/p/Session.vim"
        self.assertEqual(decide(["nvim"], "/p", here), ["nvim", "-S", "Session.vim"])
        self.assertIsNone(decide(["nvim"], "/q", here))
        self.assertIsNone(decide(["vim", "notes.txt"], "/p", here))


if __name__ == "__main__":
    unittest.main()
